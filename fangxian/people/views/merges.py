"""Likely duplicates, merging two records of one person, and undoing a merge."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fangxian.accounts.decorators import capability_required
from fangxian.accounts.roles import Capability
from fangxian.core.paging import keyset_page
from fangxian.people import merging, selectors


@capability_required(Capability.EDIT_PEOPLE)
def duplicate_list_view(request: HttpRequest) -> HttpResponse:
    groups = selectors.likely_duplicates(user=request.user)
    return render(request, "people/duplicate_list.html", {"groups": groups})


@capability_required(Capability.EDIT_PEOPLE)
@require_POST
def person_merge_view(request: HttpRequest) -> HttpResponse:
    try:
        survivor_id = int(request.POST.get("survivor", ""))
        merged_id = int(request.POST.get("merged", ""))
    except ValueError:
        messages.error(request, _("Choose the record to keep and the one to merge into it."))
        return redirect("people:duplicate-list")
    survivor = selectors.person_get(user=request.user, person_id=survivor_id)
    merged = selectors.person_get(user=request.user, person_id=merged_id)
    for person in (survivor, merged):
        if not request.user.can_at(Capability.EDIT_PEOPLE, person.region):
            raise Http404
    try:
        merging.person_merge(
            actor=request.user,
            survivor=survivor,
            merged=merged,
            reason=request.POST.get("reason", ""),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("people:duplicate-list")
    messages.success(
        request, _("Merged into %(name)s; the merge can be undone.") % {"name": survivor.name}
    )
    return redirect(survivor)


@capability_required(Capability.EDIT_PEOPLE)
def merge_list_view(request: HttpRequest) -> HttpResponse:
    page = keyset_page(
        selectors.merge_list(user=request.user), after=request.GET.get("after"), newest_first=True
    )
    return render(request, "people/merge_list.html", {"page": page})


@capability_required(Capability.EDIT_PEOPLE)
@require_POST
def merge_undo_view(request: HttpRequest, merge_id: int) -> HttpResponse:
    merge = selectors.merge_list(user=request.user).filter(pk=merge_id).first()
    if merge is None:
        raise Http404
    try:
        merging.person_merge_undo(actor=request.user, merge=merge)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The merge has been undone."))
    return redirect("people:merge-list")
