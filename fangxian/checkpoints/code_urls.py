"""The page a personal code's QR code opens: /c/<token>/ (no login needed to open it; it says
something only to staff within scope)."""

from django.urls import path

from fangxian.checkpoints.views import codes

app_name = "code"

urlpatterns = [path("<str:token>/", codes.code_resolve_view, name="resolve")]
