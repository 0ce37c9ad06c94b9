"""Production settings are one variable away, and Django's deployment checks pass with them."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _check_deploy(tmp_path, **env):
    # Nothing of the test run leaks in (the browser tests set DJANGO_ALLOW_ASYNC_UNSAFE).
    environment = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("FANGXIAN_", "DATABASE_URL", "DJANGO_"))
    }
    environment |= {"FANGXIAN_VAR_DIR": str(tmp_path), **env}
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    result = _check_deploy(
        tmp_path,
        FANGXIAN_PRODUCTION="1",
        FANGXIAN_SECRET_KEY="k" * 20 + "production-secret-from-the-environment-0123456789",
        FANGXIAN_ALLOWED_HOSTS="fx.example.gov.cn",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret(tmp_path):
    result = _check_deploy(tmp_path, FANGXIAN_PRODUCTION="1")
    assert result.returncode != 0
    assert "FANGXIAN_SECRET_KEY" in result.stderr


def test_the_laptop_defaults_fail_the_deployment_checks(tmp_path):
    """The demo defaults are not production settings, and the checks say so."""
    result = _check_deploy(tmp_path)
    assert result.returncode != 0
