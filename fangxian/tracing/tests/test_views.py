"""The exposure search pages: run a search, read the contacts masked, the second ring's
progress, export, place everyone found, reveal; who gets 404."""

from django.urls import reverse
from django.utils import timezone

from conftest import login
from fangxian.accounts.roles import Role
from fangxian.audit.models import AuditEntry
from fangxian.core.masking import mask_id_number, mask_phone
from fangxian.core.xlsx import CONTENT_TYPE
from fangxian.quarantine.models import OrderBatch
from fangxian.tracing.models import Contact, Search
from fangxian.tracing.tests.conftest import H, M, stay
from tests import factories
from tests.assertions import load_xlsx, xlsx_text

NEW = reverse("tracing:search-create")
PURPOSE = "确诊病例张三的密接排查"


def _run(client, scenario, **fields):
    data = {
        "person": scenario.subject.pk,
        "purpose": PURPOSE,
        "window_minutes": 120,
        "days": 14,
    } | fields
    return client.post(NEW, data)


def _detail(search_id):
    return reverse("tracing:search-detail", kwargs={"search_id": search_id})


def test_a_tracer_runs_a_search_and_sees_the_contacts_masked(client, scenario, tracer):
    response = _run(login(client, tracer), scenario)

    search = Search.objects.get()
    assert response.status_code == 302
    assert response.url == _detail(search.pk)
    page = client.get(response.url).content.decode()
    li = scenario.people["李四"]
    assert "李四" in page and "陈三" in page and "过客甲" in page
    assert mask_id_number(li.id_number) in page
    assert li.id_number not in page
    assert "139****0002" in page and "13900000002" not in page
    assert PURPOSE in page


def test_the_form_finds_the_subject_in_the_ledger_as_you_type(client, scenario, tracer):
    response = login(client, tracer).get(NEW, {"q": "张三"}, headers={"HX-Request": "true"})

    body = response.content.decode()
    assert f'value="{scenario.subject.pk}"' in body
    assert scenario.subject.id_number not in body
    assert "<form" not in body  # the candidates alone


def test_the_form_asks_for_a_subject_and_a_purpose(client, scenario, tracer):
    response = _run(login(client, tracer), scenario, person="", purpose="")

    body = response.content.decode()
    assert response.status_code == 200
    assert "请" in body or "purpose" in body
    assert 'data-field-error="purpose"' in body
    assert not Search.objects.exists()


def test_hq_and_other_roles_get_404(client, scenario, hq_user, grid_worker):
    for user in (hq_user, grid_worker):
        login(client, user)
        assert client.get(reverse("tracing:search-list")).status_code == 404
        assert client.get(NEW).status_code == 404


def test_another_tracers_search_is_404(client, scenario, tracer, town):
    _run(login(client, tracer), scenario)
    search = Search.objects.get()
    colleague = factories.make_user(role=Role.TRACER, region=town["town"], username="t3")

    login(client, colleague)
    assert client.get(_detail(search.pk)).status_code == 404
    assert client.get(reverse("tracing:search-list")).content.decode().count("search-row") == 0
    url = reverse("tracing:search-export", kwargs={"search_id": search.pk})
    assert client.get(url).status_code == 404


def test_the_second_ring_runs_in_the_background_and_the_page_follows_it(client, scenario, tracer):
    T = scenario.base
    stay(scenario.places["C"], T - 40 * H, T - 39 * H, person=scenario.people["李四"])
    stay(scenario.places["C"], T - 40 * H + 10 * M, phone="13500000001")
    _run(login(client, tracer), scenario)
    search = Search.objects.get()

    response = client.post(reverse("tracing:search-second-ring", kwargs={"search_id": search.pk}))

    assert response.status_code == 302
    search.refresh_from_db()  # the test settings run tasks at once
    assert search.ring2_status == Search.Ring2.DONE
    page = client.get(_detail(search.pk), {"ring": "2"}).content.decode()
    assert "135****0001" in page
    poll = client.get(_detail(search.pk), {"progress": "1"}, headers={"HX-Request": "true"})
    assert poll.headers["HX-Refresh"] == "true"  # finished: reload the page


def test_the_progress_poll_shows_the_figures_while_it_runs(client, scenario, tracer):
    _run(login(client, tracer), scenario)
    search = Search.objects.get()
    Search.objects.filter(pk=search.pk).update(
        ring2_status=Search.Ring2.RUNNING, ring2_subjects=40, ring2_done=10, ring2_count=77
    )

    poll = client.get(_detail(search.pk), {"progress": "1"}, headers={"HX-Request": "true"})

    body = poll.content.decode()
    assert "10" in body and "40" in body and "77" in body
    assert "<html" not in body


def test_the_export_is_masked_and_audited(client, scenario, tracer):
    _run(login(client, tracer), scenario)
    search = Search.objects.get()
    url = reverse("tracing:search-export", kwargs={"search_id": search.pk})

    response = client.get(url)

    assert response["Content-Type"] == CONTENT_TYPE
    body = b"".join(response.streaming_content)
    text = xlsx_text(body)
    li = scenario.people["李四"]
    assert mask_id_number(li.id_number) in text and li.id_number not in text
    wang = scenario.people["王五"]
    edge = timezone.localtime(scenario.base - 2 * H).replace(tzinfo=None)
    first_row = [1, 1, "王五", mask_id_number(wang.id_number), mask_phone(wang.phone)]
    first_row += [str(Contact.Via.PLACE.label), "超市", edge, edge]
    sheet = load_xlsx(body)
    assert [c.value for c in sheet[4]][: len(first_row)] == first_row
    assert sheet.max_row == 3 + 8
    entry = AuditEntry.objects.get(action="export")
    assert entry.detail == {"purpose": PURPOSE, "rows": 8, "full": False, "list": "contacts"}
    assert client.get(url, {"full": "1"}).status_code == 404  # tracers export masked only


def test_placing_everyone_makes_one_pending_batch(client, scenario, tracer):
    _run(login(client, tracer), scenario)
    search = Search.objects.get()
    kind = factories.quarantine_kind("home_monitoring")
    reason = factories.order_reason()

    response = client.post(
        reverse("tracing:search-place", kwargs={"search_id": search.pk}),
        {"kind": kind.pk, "reason": reason.pk, "rings": "1"},
    )

    assert response.status_code == 302
    batch = OrderBatch.objects.get()
    assert (batch.status, batch.size, batch.basis) == ("pending", 5, PURPOSE)
    page = client.get(response.url).content.decode()
    assert reverse("quarantine:batch-detail", kwargs={"batch_id": batch.pk}) in page
    assert page.count('data-testid="under-quarantine"') == 6  # 李四 twice


def test_revealing_a_contact_shows_the_full_number_and_is_audited(client, scenario, tracer):
    _run(login(client, tracer), scenario)
    search = Search.objects.get()
    contact = search.contacts.get(person=scenario.people["周九"])

    response = client.post(reverse("tracing:contact-reveal", kwargs={"contact_id": contact.pk}))

    assert scenario.people["周九"].id_number in response.content.decode()
    assert AuditEntry.objects.filter(action="view_full", object_id=str(contact.pk)).exists()


def test_the_results_page_costs_the_same_for_few_or_many_contacts(
    client, scenario, tracer, django_assert_max_num_queries
):
    _run(login(client, tracer), scenario)
    search = Search.objects.get()
    client.get(_detail(search.pk))  # warm the session and caches
    with django_assert_max_num_queries(12) as few:
        client.get(_detail(search.pk))
    count = len(few)
    T = scenario.base
    for n in range(40):
        stay(scenario.places["A"], T + n * M, phone=f"1350000{n:04d}")
    _run(client, scenario)
    bigger = Search.objects.latest("id")
    assert bigger.ring1_count == 48
    with django_assert_max_num_queries(count):
        client.get(_detail(bigger.pk))


def test_the_person_page_offers_tracers_a_search_and_lists_where_they_were_found(
    client, scenario, tracer
):
    _run(login(client, tracer), scenario)
    search = Search.objects.get()
    li = scenario.people["李四"]

    page = client.get(reverse("people:person-detail", kwargs={"person_id": li.pk}))

    body = page.content.decode()
    assert f"{NEW}?person={li.pk}" in body
    assert _detail(search.pk) in body
    form = client.get(NEW, {"person": li.pk}).content.decode()
    assert f'value="{li.pk}" id="person-{li.pk}" checked' in form


def test_the_person_page_has_no_tracing_panel_for_others(client, scenario, grid_worker):
    subject = scenario.subject

    page = login(client, grid_worker).get(
        reverse("people:person-detail", kwargs={"person_id": subject.pk})
    )

    assert page.status_code == 200
    assert 'data-testid="tracing-panel"' not in page.content.decode()


def test_an_hq_member_who_also_traces_may_export_full_numbers(client, scenario, town):
    from fangxian.accounts.models import RoleAssignment

    hq_tracer = factories.make_user(role=Role.HQ, region=town["town"], username="hqt")
    RoleAssignment.objects.create(user=hq_tracer, role=Role.TRACER, region=town["town"])
    _run(login(client, hq_tracer), scenario)
    search = Search.objects.get()
    url = reverse("tracing:search-export", kwargs={"search_id": search.pk})

    response = client.get(url, {"full": "1"})

    text = xlsx_text(b"".join(response.streaming_content))
    assert scenario.people["李四"].id_number in text
    assert "13900000002" in text
    entry = AuditEntry.objects.get(action="export")
    assert entry.detail["full"] is True


def test_the_tracer_sets_the_cap_of_the_second_ring(client, scenario, tracer):
    _run(login(client, tracer), scenario)
    search = Search.objects.get()

    client.post(
        reverse("tracing:search-second-ring", kwargs={"search_id": search.pk}), {"cap": "2"}
    )

    search.refresh_from_db()
    assert (search.ring2_cap, search.ring2_status, search.ring2_count) == (2, "capped", 2)
    page = client.get(_detail(search.pk)).content.decode()
    assert 'data-testid="ring2-capped"' in page
