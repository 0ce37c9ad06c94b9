"""Instructions (指令): HQ issues them and sees who has not responded; units acknowledge,
report back and mark them done ("同步响应、同步反馈、同步落实")."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from fangxian.accounts.decorators import capability_required
from fangxian.core.paging import keyset_page
from fangxian.reports import selectors
from fangxian.reports.forms import InstructionForm, RespondForm
from fangxian.reports.selectors import MANAGE, SUBMIT
from fangxian.reports.services import (
    ACKNOWLEDGE,
    DONE,
    REPORT_BACK,
    instruction_issue,
    receipt_respond,
)


@capability_required(MANAGE)
def instruction_list_view(request: HttpRequest) -> HttpResponse:
    instructions = selectors.instruction_list(user=request.user)
    page = keyset_page(instructions, after=request.GET.get("after"), newest_first=True)
    return render(request, "reports/instruction_list.html", {"page": page})


@capability_required(MANAGE)
def instruction_create_view(request: HttpRequest) -> HttpResponse:
    region = selectors.report_region(user=request.user, code=request.GET.get("region", ""))
    units = selectors.unit_list(user=request.user, region=region).filter(is_active=True)
    form = InstructionForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            instruction = instruction_issue(
                actor=request.user,
                region=region,
                title=data["title"],
                body=data["body"],
                due_on=data["due_on"],
                units=None if data["all_units"] else list(data["units"]),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The instruction is sent."))
            return redirect("reports:instruction-detail", instruction_id=instruction.pk)
    context = {
        "form": form,
        "region": region,
        "regions": selectors.region_choices(user=request.user),
    }
    return render(request, "reports/instruction_form.html", context)


@capability_required(MANAGE)
def instruction_detail_view(request: HttpRequest, instruction_id: int) -> HttpResponse:
    instruction = selectors.instruction_for_hq(user=request.user, instruction_id=instruction_id)
    receipts = selectors.receipts_of(instruction)
    context = {
        "instruction": instruction,
        "receipts": receipts,
        "silent": [r for r in receipts if r.acknowledged_at is None],
    }
    return render(request, "reports/instruction_detail.html", context)


@capability_required(SUBMIT)
def receipt_list_view(request: HttpRequest) -> HttpResponse:
    receipts = list(selectors.open_receipts(user=request.user))
    return render(request, "reports/receipt_list.html", {"receipts": receipts})


@capability_required(SUBMIT)
def receipt_respond_view(request: HttpRequest, receipt_id: int) -> HttpResponse:
    receipt = selectors.receipt_for_unit(user=request.user, receipt_id=receipt_id)
    form = RespondForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        step = request.POST.get("step", ACKNOWLEDGE)
        try:
            receipt_respond(
                actor=request.user, receipt=receipt, step=step, text=form.cleaned_data["text"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your answer is recorded."))
            return redirect("reports:receipt-respond", receipt_id=receipt.pk)
    context = {
        "receipt": receipt,
        "form": form,
        "steps": {"acknowledge": ACKNOWLEDGE, "report_back": REPORT_BACK, "done": DONE},
    }
    return render(request, "reports/receipt_respond.html", context)
