from django.urls import path

from fangxian.audit import views

app_name = "audit"

urlpatterns = [
    path("", views.audit_log_view, name="log"),
    path("logins/", views.audit_log_view, {"logins": True}, name="login-log"),
]
