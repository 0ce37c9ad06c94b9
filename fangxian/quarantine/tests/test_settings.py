"""The settings HQ edits without code: seeded defaults and the admin pages (quarantine.admin)."""

import ast
from decimal import Decimal
from pathlib import Path

import pytest
from django.urls import reverse

from fangxian.quarantine.models import (
    CheckSlot,
    OrderReason,
    QuarantineKind,
    QuarantineRules,
    Symptom,
)
from tests import factories

APP_DIR = Path(__file__).resolve().parents[1]


def test_the_defaults_are_seeded(db):
    assert list(QuarantineKind.objects.values_list("name", "default_days")) == [
        ("居家隔离", 14),
        ("集中隔离", 14),
        ("居家健康监测", 14),
    ]
    assert {"密切接触者", "次密切接触者", "重点地区返回人员", "入境人员", "其他"} == set(
        OrderReason.objects.values_list("name", flat=True)
    )
    assert [slot.time.strftime("%H:%M") for slot in CheckSlot.objects.all()] == ["08:00", "14:00"]
    assert "发热" in set(Symptom.objects.values_list("name", flat=True))
    rules = QuarantineRules.current()
    assert (rules.fever_threshold, rules.check_grace_minutes) == (Decimal("37.3"), 60)


def test_there_is_one_row_of_rules(db):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        QuarantineRules.objects.create(pk=2)


@pytest.mark.parametrize(
    "model",
    ["quarantinekind", "orderreason", "teamrole", "checkslot", "symptom", "quarantinerules"],
)
def test_a_superuser_edits_the_settings_in_the_admin(client, db, model):
    admin = factories.make_user(username="root", is_superuser=True, is_staff=True)
    client.force_login(admin)
    assert client.get(reverse(f"admin:quarantine_{model}_changelist")).status_code == 200


def test_the_rules_row_cannot_be_added_twice_in_the_admin(client, db):
    admin = factories.make_user(username="root", is_superuser=True, is_staff=True)
    client.force_login(admin)
    assert client.get(reverse("admin:quarantine_quarantinerules_add")).status_code == 403


def test_quarantine_imports_no_app_above_it():
    above = ("fangxian.imports", "fangxian.demo")
    found = []
    for path in APP_DIR.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith(above):
                found.append(f"{path.name}: {node.module}")
            elif isinstance(node, ast.Import):
                found += [f"{path.name}: {a.name}" for a in node.names if a.name.startswith(above)]
    assert found == []
