"""The order list as .xlsx: the townships' layout, masked unless export_full_pii, the list's
filters, audited with the filter and the row count."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import login
from fangxian.audit.models import AuditEntry
from fangxian.core.xlsx import CONTENT_TYPE
from fangxian.quarantine.models import QuarantineOrder
from fangxian.quarantine.tests.conftest import resident
from tests import factories
from tests.assertions import assert_xlsx_rows, load_xlsx

EXPORT = reverse("quarantine:order-export")


def _body(response) -> bytes:
    return b"".join(response.streaming_content)


@pytest.fixture
def orders(hq_user, town, wafang_person):
    home = factories.make_order(person=wafang_person, actor=hq_user)
    other = factories.make_order(
        person=resident(region=town["beiqi_1"], name="碑棋人"), actor=hq_user
    )
    QuarantineOrder.objects.filter(pk=other.pk).update(status="cancelled")
    return {"home": home, "other": other}


def test_the_export_is_laid_out_as_the_townships_send_it_and_masked(client, hq_user, orders):
    response = login(client, hq_user).get(EXPORT, {"status": "active"})
    assert response["Content-Type"] == CONTENT_TYPE
    body = _body(response)
    sheet = load_xlsx(body)
    assert sheet.cell(row=1, column=1).value == "乌龙镇隔离管控人员名单"
    assert sheet.cell(row=2, column=1).value.startswith("填报单位：")
    order = orders["home"]
    person = order.person
    today = timezone.localdate()
    assert_xlsx_rows(
        body,
        [
            [
                1,
                "瓦房村",
                "第一网格",
                "张三",
                person.get_sex_display(),
                person.id_number_masked,
                person.phone_masked,
                "居家隔离",
                "密切接触者",
                "疾控中心密接名单",
                "工作人员决定",
                today,
                today + timedelta(days=14),
                "隔离中",
            ]
        ],
        start_row=4,
    )
    assert sheet.cell(row=4, column=6).number_format == "@"


def test_the_export_is_audited_with_its_filter_and_row_count(client, hq_user, orders):
    _body(login(client, hq_user).get(EXPORT, {"status": "active"}))
    entry = AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT).get()
    assert entry.detail["rows"] == 1
    assert entry.detail["filter"]["status"] == "active"
    assert entry.detail["full"] is False


def test_hq_may_export_full_numbers(client, hq_user, orders):
    body = _body(login(client, hq_user).get(EXPORT, {"status": "active", "full": "1"}))
    assert load_xlsx(body).cell(row=4, column=6).value == orders["home"].person.id_number


def test_a_village_cadre_gets_no_full_export(client, village_cadre, orders):
    assert login(client, village_cadre).get(EXPORT, {"full": "1"}).status_code == 404


def test_a_village_cadre_exports_only_their_village(client, village_cadre, orders):
    body = _body(login(client, village_cadre).get(EXPORT))
    text = "\n".join(str(c) for row in load_xlsx(body).iter_rows(values_only=True) for c in row)
    assert "张三" in text
    assert "碑棋人" not in text
