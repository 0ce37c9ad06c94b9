"""Personal codes: issued, revoked and reissued from the person's page; the QR code holds only a
URL with a random token; the page it opens tells only staff within scope whose code it is."""

import segno
from django.urls import reverse

from conftest import login
from fangxian.checkpoints.codes import code_active, code_issue
from fangxian.checkpoints.models import PersonalCode
from fangxian.people.merging import person_merge
from tests import factories


def test_a_grid_worker_issues_reissues_and_revokes_a_code(client, grid_worker, wafang_person):
    login(client, grid_worker)
    client.post(reverse("checkpoints:code-issue", args=[wafang_person.pk]))
    first = code_active(person=wafang_person)
    assert first is not None and len(first.token) >= 20
    client.post(reverse("checkpoints:code-issue", args=[wafang_person.pk]))
    second = code_active(person=wafang_person)
    assert second.token != first.token
    first.refresh_from_db()
    assert first.revoked_at is not None
    client.post(reverse("checkpoints:code-revoke", args=[wafang_person.pk]))
    assert code_active(person=wafang_person) is None


def test_an_outsider_cannot_issue_a_code(client, outsider, wafang_person):
    login(client, outsider)
    response = client.post(reverse("checkpoints:code-issue", args=[wafang_person.pk]))
    assert response.status_code == 404
    assert not PersonalCode.objects.exists()


def test_the_person_page_shows_a_qr_code_of_the_url_only(client, grid_worker, wafang_person):
    code = code_issue(actor=grid_worker, person=wafang_person)
    login(client, grid_worker)
    text = client.get(wafang_person.get_absolute_url()).content.decode()
    url = f"http://testserver/c/{code.token}/"
    expected = segno.make(url, error="m").svg_inline(scale=5, title="个人码")
    assert expected in text
    # the encoded text is the URL and nothing else: no name, no number
    assert wafang_person.name not in url and wafang_person.id_number not in url


def test_staff_within_scope_see_the_person_masked_and_can_register(
    client, staff, checkpoint, wafang_person, grid_worker
):
    code = code_issue(actor=grid_worker, person=wafang_person)
    login(client, staff)
    text = client.get(f"/c/{code.token}/").content.decode()
    assert "张三" in text and wafang_person.id_number_masked in text
    assert wafang_person.id_number not in text
    assert (
        f"{reverse('checkpoints:passage-create', args=[checkpoint.pk])}?code={code.token}" in text
    )


def test_anyone_else_gets_the_same_neutral_page(client, outsider, wafang_person, grid_worker):
    code = code_issue(actor=grid_worker, person=wafang_person)
    anonymous = client.get(f"/c/{code.token}/").content.decode()
    login(client, outsider)
    other = client.get(f"/c/{code.token}/").content.decode()
    missing = client.get("/c/no-such-token/").content.decode()
    for text in (anonymous, other, missing):
        assert 'data-testid="code-neutral"' in text
        assert "张三" not in text and wafang_person.id_number_masked not in text


def test_a_revoked_code_shows_the_neutral_page_to_staff(client, staff, wafang_person, grid_worker):
    code = code_issue(actor=grid_worker, person=wafang_person)
    code_issue(actor=grid_worker, person=wafang_person)  # a reissue revokes the first
    login(client, staff)
    text = client.get(f"/c/{code.token}/").content.decode()
    assert 'data-testid="code-neutral"' in text and "张三" not in text


def test_a_scanned_code_fills_in_the_person_of_a_passage(
    client, staff, checkpoint, wafang_person, grid_worker
):
    code = code_issue(actor=grid_worker, person=wafang_person)
    login(client, staff)
    url = reverse("checkpoints:passage-create", args=[checkpoint.pk])
    import uuid

    response = client.post(
        url,
        {
            "client_id": str(uuid.uuid4()),
            "direction": "in",
            "decision": "released",
            "people-TOTAL_FORMS": "1",
            "people-INITIAL_FORMS": "0",
            "people-0-code": f"https://fangxian.example/c/{code.token}/",
        },
    )
    assert response.status_code == 302
    from fangxian.checkpoints.models import Passage

    assert Passage.objects.get().people.get().person == wafang_person


def _twin(person):
    """A second record of the same person, without an ID number (so that they can merge)."""
    twin = factories.make_person(household=person.household, name=person.name)
    twin.id_number, twin.id_tail = "", ""
    twin.save()
    return twin


def test_codes_follow_the_surviving_person_of_a_merge(grid_worker, wafang_person, town):
    twin = _twin(wafang_person)
    code = code_issue(actor=grid_worker, person=twin)
    person_merge(actor=grid_worker, survivor=wafang_person, merged=twin, reason="同一人")
    code.refresh_from_db()
    assert code.person == wafang_person and code.revoked_at is None


def test_when_both_had_a_code_the_survivor_keeps_one_live_code(grid_worker, wafang_person):
    twin = _twin(wafang_person)
    code_issue(actor=grid_worker, person=wafang_person)
    code_issue(actor=grid_worker, person=twin)
    person_merge(actor=grid_worker, survivor=wafang_person, merged=twin, reason="同一人")
    live = PersonalCode.objects.filter(person=wafang_person, revoked_at__isnull=True)
    assert live.count() == 1
    assert PersonalCode.objects.filter(person=wafang_person).count() == 2
