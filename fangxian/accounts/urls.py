from django.contrib.auth import views as auth_views
from django.urls import path

from fangxian.accounts import views
from fangxian.accounts.forms import StyledPasswordChangeForm

app_name = "accounts"

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "password/",
        auth_views.PasswordChangeView.as_view(
            template_name="accounts/password_change.html",
            success_url="/",
            form_class=StyledPasswordChangeForm,
        ),
        name="password-change",
    ),
    path("users/", views.user_list_view, name="user-list"),
    path("users/new/", views.user_create_view, name="user-create"),
    path("users/<int:user_id>/", views.user_detail_view, name="user-detail"),
    path("users/<int:user_id>/roles/", views.role_assign_view, name="role-assign"),
    path(
        "users/<int:user_id>/roles/<int:assignment_id>/revoke/",
        views.role_revoke_view,
        name="role-revoke",
    ),
    path("users/<int:user_id>/password/", views.user_password_view, name="user-password"),
]
