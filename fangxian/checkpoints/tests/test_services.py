"""Registering passages: full and exceptions mode, idempotency, corrections, key-area notices,
the hand-over hook, and the retention purge."""

import uuid
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone

from fangxian.audit.models import AuditEntry
from fangxian.checkpoints import handover
from fangxian.checkpoints.models import (
    Checkpoint,
    CountedPassage,
    Notice,
    Passage,
    PassageCount,
    PassagePerson,
)
from fangxian.checkpoints.selectors import passage_list
from fangxian.checkpoints.services import passages_purge
from tests import factories

GREEN = {"code_colour": "green", "code_verified": True}


def test_a_passage_is_registered_in_full_with_its_people(checkpoint, staff, wafang_person):
    result = factories.register_passage(
        checkpoint=checkpoint,
        actor=staff,
        plate="云A12345",
        plate_kind="ordinary",
        people=[
            {"name": "", "person": wafang_person, "document_number": wafang_person.id_number},
            {"name": "王五", "temperature": Decimal("36.5"), **GREEN},
        ],
    )
    passage = result.passage
    assert result.created and not result.counted
    assert (passage.region, passage.people_count, passage.fever_count) == (checkpoint.region, 2, 0)
    names = list(passage.people.order_by("id").values_list("name", "person_id"))
    assert names == [("张三", wafang_person.pk), ("王五", None)]
    assert AuditEntry.objects.filter(object_type="checkpoints.passage", person_id=wafang_person.pk)


def test_the_same_client_id_twice_makes_one_passage(checkpoint, staff):
    client_id = uuid.uuid4()
    first = factories.register_passage(checkpoint=checkpoint, actor=staff, client_id=client_id)
    second = factories.register_passage(checkpoint=checkpoint, actor=staff, client_id=client_id)
    assert first.created and not second.created
    assert first.passage.pk == second.passage.pk
    assert Passage.objects.count() == 1
    assert PassagePerson.objects.count() == 1


def test_a_temperature_of_37_3_is_a_fever(checkpoint, staff):
    result = factories.register_passage(
        checkpoint=checkpoint,
        actor=staff,
        people=[
            {"name": "甲", "temperature": Decimal("37.3")},
            {"name": "乙", "temperature": Decimal("37.2")},
        ],
    )
    assert result.passage.fever_count == 1
    assert list(result.passage.people.order_by("id").values_list("fever", flat=True)) == [
        True,
        False,
    ]


def test_turning_back_needs_a_reason(checkpoint, staff):
    with pytest.raises(ValidationError) as error:
        factories.register_passage(checkpoint=checkpoint, actor=staff, decision="turned_back")
    assert "decision_reason" in error.value.message_dict
    assert not Passage.objects.exists()


def test_handing_over_needs_a_village_of_the_township(checkpoint, staff, town):
    with pytest.raises(ValidationError) as error:
        factories.register_passage(checkpoint=checkpoint, actor=staff, decision="handed_over")
    assert "destination_region" in error.value.message_dict
    other_town = factories.make_region(path="530113102", short_name="汤丹镇", parent=town["county"])
    elsewhere = factories.make_region(path="530113102201", short_name="汤丹村", parent=other_town)
    with pytest.raises(ValidationError):
        factories.register_passage(
            checkpoint=checkpoint,
            actor=staff,
            decision="handed_over",
            destination_region=elsewhere,
        )


def test_a_hand_over_calls_the_registered_handlers_after_commit(
    checkpoint, staff, town, django_capture_on_commit_callbacks
):
    seen = []
    handover.register_handover_handler(seen.append)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            result = factories.register_passage(
                checkpoint=checkpoint,
                actor=staff,
                decision="handed_over",
                decision_reason="湖北来，无去处",
                destination_region=town["beiqi"],
            )
            assert seen == []  # not before the commit
    finally:
        handover.unregister_handover_handler(seen.append)
    assert seen == [result.passage]
    assert result.passage.destination_region == town["beiqi"]


def test_exceptions_mode_only_counts_an_ordinary_passage(checkpoint, staff):
    Checkpoint.objects.filter(pk=checkpoint.pk).update(mode=Checkpoint.Mode.EXCEPTIONS)
    checkpoint.refresh_from_db()
    client_id = uuid.uuid4()
    for _ in range(2):  # a retry counts once
        factories.register_passage(
            checkpoint=checkpoint,
            actor=staff,
            client_id=client_id,
            plate="云A12345",
            people=[{"name": "甲", **GREEN}, {"name": "乙", **GREEN}],
        )
    factories.register_passage(checkpoint=checkpoint, actor=staff, people=[{"name": "丙", **GREEN}])
    assert not Passage.objects.exists()
    assert not PassagePerson.objects.exists()
    counts = {
        (c.kind, c.passages, c.people) for c in PassageCount.objects.filter(checkpoint=checkpoint)
    }
    assert counts == {("vehicle", 1, 2), ("on_foot", 1, 1)}
    assert CountedPassage.objects.count() == 2


@pytest.mark.parametrize(
    "exception",
    [
        {"people": [{"name": "甲", "temperature": Decimal("38.0"), **GREEN}]},
        {"people": [{"name": "甲", "code_colour": "green", "code_verified": False}]},
        {"people": [{"name": "甲", "code_colour": "yellow", "code_verified": True}]},
        {"people": [{"name": "甲", **GREEN}], "decision": "turned_back", "decision_reason": "无事"},
        {"people": [{"name": "甲", **GREEN}], "origin_text": "湖北武汉"},
    ],
)
def test_exceptions_mode_registers_an_exception_in_full(checkpoint, staff, hubei, exception):
    Checkpoint.objects.filter(pk=checkpoint.pk).update(mode=Checkpoint.Mode.EXCEPTIONS)
    checkpoint.refresh_from_db()
    result = factories.register_passage(checkpoint=checkpoint, actor=staff, **exception)
    assert result.passage is not None and not result.counted
    assert not PassageCount.objects.exists()


def test_an_arrival_from_a_key_area_notifies_the_destination(checkpoint, staff, town, hubei):
    result = factories.register_passage(
        checkpoint=checkpoint,
        actor=staff,
        origin_text="湖北武汉",
        destination_text="碑棋社区3号",
        destination_region=town["beiqi"],
        people=[{"name": "赵六"}],
    )
    assert result.passage.key_area
    assert result.passage.origin_code == "4201"
    notice = Notice.objects.get()
    assert notice.region == town["beiqi"]
    assert "赵六" in notice.text and "湖北" in notice.text


def test_leaving_for_a_key_area_sends_no_notice(checkpoint, staff, hubei):
    factories.register_passage(
        checkpoint=checkpoint, actor=staff, direction="out", origin_text="湖北武汉"
    )
    assert not Notice.objects.exists()


def test_nobody_is_flagged_for_the_plate_s_province(checkpoint, staff, hubei):
    """A Hubei plate (鄂) coming from within Yunnan is not a key-area arrival: only where the
    people have been counts, never the province character of their car."""
    result = factories.register_passage(
        checkpoint=checkpoint,
        actor=staff,
        plate="鄂A12345",
        plate_kind="ordinary",
        origin_text="云南昆明",
        people=[{"name": "钱七", **GREEN}],
    )
    assert not result.passage.key_area
    assert not Notice.objects.exists()
    # and in exceptions mode the same car is only counted
    Checkpoint.objects.filter(pk=checkpoint.pk).update(mode=Checkpoint.Mode.EXCEPTIONS)
    checkpoint.refresh_from_db()
    again = factories.register_passage(
        checkpoint=checkpoint,
        actor=staff,
        plate="鄂A12345",
        plate_kind="ordinary",
        origin_text="云南昆明",
        people=[{"name": "钱七", **GREEN}],
    )
    assert again.counted


def test_a_correction_through_the_service_references_the_old_passage(checkpoint, staff):
    from fangxian.checkpoints.services import PassageInput, PersonEntry, passage_register

    old = factories.register_passage(checkpoint=checkpoint, actor=staff, plate="云A12345").passage
    result = passage_register(
        actor=staff,
        checkpoint=checkpoint,
        client_id=uuid.uuid4(),
        data=PassageInput(
            direction="in",
            decision="released",
            people=(PersonEntry(name="过客"),),
            plate="云A12346",
        ),
        corrects=old,
    )
    assert result.passage.corrects == old
    assert list(passage_list(user=staff).values_list("pk", flat=True)) == [result.passage.pk]


def test_the_purge_deletes_old_passages_in_batches_and_audits_the_count(checkpoint, staff):
    now = timezone.now()
    for days in (40, 35, 31, 2):
        factories.register_passage(
            checkpoint=checkpoint, actor=staff, occurred_at=now - timedelta(days=days)
        )
    call_command("purge_passages", "--older-than-days", "30", "--batch", "2")
    assert Passage.objects.count() == 1
    assert PassagePerson.objects.count() == 1
    entry = AuditEntry.objects.filter(action="delete").latest("id")
    assert entry.detail["deleted"] == 3


def test_the_purge_refuses_to_delete_everything(checkpoint, staff):
    factories.register_passage(checkpoint=checkpoint, actor=staff)
    with pytest.raises(ValidationError):
        passages_purge(older_than_days=0)
    assert Passage.objects.count() == 1


def test_two_requests_racing_with_one_client_id_make_one_passage(checkpoint, staff, monkeypatch):
    """The second request misses the first's passage when it looks (they run side by side):
    the unique constraint refuses its insert and it answers with the first's record."""
    from fangxian.checkpoints import services

    client_id = uuid.uuid4()
    first = factories.register_passage(checkpoint=checkpoint, actor=staff, client_id=client_id)
    real = services._already
    calls = []

    def blind_first_look(found_id):
        calls.append(found_id)
        return None if len(calls) == 1 else real(found_id)

    monkeypatch.setattr(services, "_already", blind_first_look)
    second = factories.register_passage(checkpoint=checkpoint, actor=staff, client_id=client_id)
    assert len(calls) == 2
    assert (second.created, second.passage.pk) == (False, first.passage.pk)
    assert Passage.objects.count() == 1 and PassagePerson.objects.count() == 1


def test_a_hand_over_leaves_a_notice_for_the_village(checkpoint, staff, town):
    factories.register_passage(
        checkpoint=checkpoint,
        actor=staff,
        decision="handed_over",
        decision_reason="体温38.5，来自外省",
        destination_region=town["beiqi"],
        people=[{"name": "孙八"}],
    )
    notice = Notice.objects.get()
    assert notice.region == town["beiqi"]
    assert "孙八" in notice.text and "体温38.5" in notice.text
