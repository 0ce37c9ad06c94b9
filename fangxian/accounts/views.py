from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fangxian.accounts import services
from fangxian.accounts.decorators import capability_required
from fangxian.accounts.forms import (
    PasswordSetForm,
    RoleAssignForm,
    ThrottledAuthenticationForm,
    UserCreateForm,
    UserForm,
)
from fangxian.accounts.models import RoleAssignment
from fangxian.accounts.roles import Capability
from fangxian.accounts.selectors import user_assignments, user_is_manageable, users_in_scope
from fangxian.core.paging import keyset_page
from fangxian.regions.models import Region
from fangxian.regions.scope import get_scoped_or_404
from fangxian.regions.selectors import indented_region_choices


class LoginView(auth_views.LoginView):
    form_class = ThrottledAuthenticationForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


def _assignable_regions(user) -> list[tuple[str, str]]:
    return indented_region_choices(
        user=user, capability=Capability.MANAGE_USERS, max_level=Region.Level.GRID
    )


@capability_required(Capability.MANAGE_USERS)
def user_list_view(request: HttpRequest) -> HttpResponse:
    users = users_in_scope(user=request.user)
    q = request.GET.get("q", "").strip()
    if q:
        users = users.filter(full_name__icontains=q) | users.filter(username__icontains=q)
    page = keyset_page(
        users.prefetch_related("role_assignments__region"), after=request.GET.get("after")
    )
    return render(request, "accounts/user_list.html", {"page": page, "q": q})


@capability_required(Capability.MANAGE_USERS)
def user_create_view(request: HttpRequest) -> HttpResponse:
    form = UserCreateForm(request.POST or None, regions=_assignable_regions(request.user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        region = get_scoped_or_404(
            Region.objects, request.user, Capability.MANAGE_USERS, code=data.pop("region")
        )
        try:
            user = services.user_create(actor=request.user, region=region, **data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("Account %(username)s created.") % {"username": user.username}
            )
            return redirect("accounts:user-detail", user_id=user.pk)
    return render(request, "accounts/user_create.html", {"form": form})


@capability_required(Capability.MANAGE_USERS)
def user_detail_view(request: HttpRequest, user_id: int) -> HttpResponse:
    account = _user_or_404(request, user_id)
    manageable = user_is_manageable(actor=request.user, user=account)
    form = UserForm(request.POST or None, instance=account, prefix="user")
    if request.method == "POST" and manageable and form.is_valid():
        services.user_update(actor=request.user, user=account, **form.cleaned_data)
        messages.success(request, _("Saved."))
        return redirect("accounts:user-detail", user_id=account.pk)
    assignments, roles_elsewhere = user_assignments(user=account, viewer=request.user)
    context = {
        "account": account,
        "manageable": manageable,
        "form": form,
        "assignments": assignments,
        "roles_elsewhere": roles_elsewhere,
        "role_form": RoleAssignForm(regions=_assignable_regions(request.user)),
        "password_form": PasswordSetForm(),
    }
    return render(request, "accounts/user_detail.html", context)


def _user_or_404(request: HttpRequest, user_id: int):
    account = users_in_scope(user=request.user).filter(pk=user_id).first()
    if account is None:
        raise Http404
    return account


@capability_required(Capability.MANAGE_USERS)
@require_POST
def role_assign_view(request: HttpRequest, user_id: int) -> HttpResponse:
    account = _user_or_404(request, user_id)
    form = RoleAssignForm(request.POST, regions=_assignable_regions(request.user))
    if form.is_valid():
        data = form.cleaned_data
        region = get_scoped_or_404(
            Region.objects, request.user, Capability.MANAGE_USERS, code=data["region"]
        )
        try:
            services.role_assign(
                actor=request.user,
                user=account,
                role=data["role"],
                region=region,
                working_group=data["working_group"],
            )
            messages.success(request, _("Role assigned."))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    else:
        messages.error(request, _("Choose a role and a region."))
    return redirect("accounts:user-detail", user_id=account.pk)


@capability_required(Capability.MANAGE_USERS)
@require_POST
def role_revoke_view(request: HttpRequest, user_id: int, assignment_id: int) -> HttpResponse:
    account = _user_or_404(request, user_id)
    assignment = get_scoped_or_404(
        RoleAssignment.objects.filter(user=account),
        request.user,
        Capability.MANAGE_USERS,
        pk=assignment_id,
    )
    services.role_revoke(actor=request.user, assignment=assignment)
    messages.success(request, _("Role removed."))
    return redirect("accounts:user-detail", user_id=account.pk)


@capability_required(Capability.MANAGE_USERS)
@require_POST
def user_password_view(request: HttpRequest, user_id: int) -> HttpResponse:
    account = _user_or_404(request, user_id)
    if not user_is_manageable(actor=request.user, user=account):
        raise Http404
    form = PasswordSetForm(request.POST)
    if form.is_valid():
        try:
            services.user_set_password(
                actor=request.user, user=account, password=form.cleaned_data["password"]
            )
            messages.success(request, _("Password changed."))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    return redirect("accounts:user-detail", user_id=account.pk)
