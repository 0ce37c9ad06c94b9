"""What is printed for an order: the door notice (提醒公示牌, A5 or A4, with a QR code holding
only a link with the order's random door token) and the person's notice (告知书); and the page
that link opens, which shows the order only to staff within scope."""

import segno
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from fangxian.accounts.decorators import capability_required
from fangxian.accounts.roles import Capability
from fangxian.quarantine import selectors

VIEW = Capability.VIEW_QUARANTINE
PAPER = {"a4": "A4", "a5": "A5"}


def door_url(request: HttpRequest, token: str) -> str:
    return request.build_absolute_uri(reverse("quarantine:door", kwargs={"token": token}))


@capability_required(VIEW)
def door_notice_view(request: HttpRequest, order_id: int) -> HttpResponse:
    notice = selectors.order_notice(user=request.user, order_id=order_id)
    qr = segno.make(door_url(request, notice.order.door_token), error="m")
    context = {
        "notice": notice,
        "qr": qr.svg_inline(scale=4, omitsize=True, title=_("Door notice code")),
        "paper": PAPER.get(request.GET.get("paper", ""), "A5"),
    }
    return render(request, "quarantine/notice_door.html", context)


@capability_required(VIEW)
def letter_view(request: HttpRequest, order_id: int) -> HttpResponse:
    notice = selectors.order_notice(user=request.user, order_id=order_id)
    return render(request, "quarantine/notice_letter.html", {"notice": notice})


def door_view(request: HttpRequest, token: str) -> HttpResponse:
    """What the door notice's QR code opens. Staff who may see the order go to it; anyone else
    (an out-of-scope account, a visitor without a login, an unknown or replaced code) gets the
    same neutral page, which says nothing about the order, not even whether the code exists."""
    if request.user.is_authenticated:
        try:
            order = selectors.order_by_door_token(user=request.user, token=token)
        except Http404:
            pass
        else:
            return redirect("quarantine:order-detail", order_id=order.pk)
    return render(request, "quarantine/notice_neutral.html", {"path": request.path})
