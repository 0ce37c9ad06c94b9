from fangxian.accounts.roles import Capability


def navigation(request):
    """Which menu entries the current user gets."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "nav": {
            "people": user.has_capability(Capability.VIEW_PEOPLE),
            "returnees": user.has_capability(Capability.VIEW_PEOPLE),
            "key_areas": user.has_capability(Capability.MANAGE_KEY_AREAS),
            "imports": user.has_capability(Capability.EDIT_PEOPLE),
            "self_reports": user.has_capability(Capability.EDIT_PEOPLE),
            "screening": user.has_capability(Capability.EDIT_PEOPLE)
            or user.has_capability(Capability.MANAGE_CAMPAIGNS),
            "checkpoints": user.has_capability(Capability.MANAGE_CHECKPOINTS),
            "duty": user.has_capability(Capability.REGISTER_PASSAGES),
            "notices": user.has_capability(Capability.EDIT_PEOPLE),
            "users": user.has_capability(Capability.MANAGE_USERS),
            "audit": user.has_capability(Capability.VIEW_AUDIT_LOG),
            "admin": user.is_staff,
        }
    }
