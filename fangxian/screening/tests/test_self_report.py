"""Self-reports: the public form and its guards, and the grid worker's verification."""

from datetime import date, timedelta

import pytest
from django.core import signing
from django.core.exceptions import ValidationError
from django.urls import reverse

from conftest import login
from fangxian.audit.models import AuditEntry
from fangxian.people.models import Person
from fangxian.screening import self_reports
from fangxian.screening.models import KeyArea, SelfReport, Trip
from tests import factories

TODAY = date(2026, 2, 1)


def _challenge(answer_offset: int = 0) -> dict[str, str]:
    first, second = 3, 4
    token = signing.TimestampSigner(salt=self_reports.CHALLENGE_SALT).sign(f"{first}:{second}")
    return {"challenge": token, "answer": str(first + second + answer_offset)}


def _form(**overrides) -> dict[str, str]:
    data = {
        "name": "赵六",
        "id_number": factories.valid_id_number(sequence=777),
        "phone": "13812345678",
        "address": "黄包谷地组5号",
        "origin_text": "湖北武汉",
        "departed_on": "2026-01-20",
        "arrived_on": "2026-01-21",
        "transport": "train",
        "transport_number": "g1234",
        "companions": "妻子",
        "symptoms": "",
        "website": "",
        **_challenge(),
    }
    return data | overrides


def _post(client, town, **overrides):
    url = reverse("report:form", kwargs={"code": town["wafang"].code})
    return client.post(url, _form(**overrides))


def _report(town, **fields) -> SelfReport:
    defaults = {
        "region": town["wafang_1"],
        "name": "赵六",
        "id_number": factories.valid_id_number(sequence=778),
        "phone": "13812345678",
        "address": "第一网格3号",
        "origin_text": "湖北武汉",
        "arrived_on": TODAY - timedelta(days=3),
    }
    return SelfReport.objects.create(**(defaults | fields))


# --- the public form ------------------------------------------------------------------------


def test_the_form_shows_the_notice_and_a_question(client, town):
    response = client.get(reverse("report:form", kwargs={"code": town["wafang"].code}))
    assert response.status_code == 200
    text = response.content.decode()
    assert 'data-testid="privacy-notice"' in text
    assert " = ?" in text


def test_only_a_village_code_opens_a_form(client, town):
    response = client.get(reverse("report:form", kwargs={"code": town["wafang_1"].code}))
    assert response.status_code == 404


def test_the_public_form_saves_a_pending_report_placed_in_the_group(client, town):
    response = _post(client, town)
    assert response.status_code == 302
    report = SelfReport.objects.get()
    assert report.status == SelfReport.Status.PENDING
    assert report.region == town["group"]
    assert report.transport_number == "G1234"
    assert report.client_hash and "127.0.0.1" not in report.client_hash
    created = AuditEntry.objects.get(object_type="screening.selfreport")
    assert created.ip_address is None
    thanks = client.get(response.url)
    assert "赵六" in thanks.content.decode()
    assert report.id_number not in thanks.content.decode()


def test_an_address_naming_nothing_stays_in_the_village(client, town):
    _post(client, town, address="村口小卖部旁")
    assert SelfReport.objects.get().region == town["wafang"]


def test_the_chosen_grid_wins_over_the_address(client, town):
    _post(client, town, address="村口", unit=str(town["wafang_2"].pk))
    assert SelfReport.objects.get().region == town["wafang_2"]


def test_a_bad_id_number_is_a_field_error_and_nothing_is_saved(client, town):
    number = factories.valid_id_number(sequence=777)
    wrong = number[:-1] + ("0" if number[-1] != "0" else "1")
    response = _post(client, town, id_number=wrong)
    assert response.status_code == 400
    assert "check character should be" in str(response.context["form"].errors["id_number"]) or (
        "校验" in str(response.context["form"].errors["id_number"])
    )
    assert not SelfReport.objects.exists()


def test_a_wrong_answer_is_refused_and_nothing_is_saved(client, town):
    response = _post(client, town, **_challenge(answer_offset=1))
    assert response.status_code == 400
    assert "answer" in response.context["form"].errors
    assert not SelfReport.objects.exists()


def test_an_expired_question_is_refused_and_nothing_is_saved(client, town, monkeypatch):
    monkeypatch.setattr(self_reports, "CHALLENGE_MAX_AGE", -1)
    response = _post(client, town)
    assert response.status_code == 400
    assert "30" in str(response.context["form"].errors["answer"])
    assert not SelfReport.objects.exists()


def test_a_filled_honeypot_is_refused(client, town):
    response = _post(client, town, website="http://spam.example")
    assert response.status_code == 400
    assert not SelfReport.objects.exists()


def test_a_sixth_report_within_the_hour_is_rate_limited(client, town):
    client_hash = self_reports.client_hash("127.0.0.1")
    for sequence in range(5):
        _report(
            town, client_hash=client_hash, id_number=factories.valid_id_number(sequence=sequence)
        )
    response = _post(client, town)
    assert response.status_code == 429
    assert SelfReport.objects.count() == 5


def test_a_village_flooded_from_many_clients_is_rate_limited(client, town, monkeypatch):
    monkeypatch.setattr(self_reports, "PER_VILLAGE_PER_HOUR", 2)
    for sequence in range(2):
        _report(
            town,
            client_hash=f"other{sequence}",
            id_number=factories.valid_id_number(sequence=sequence),
        )
    assert _post(client, town).status_code == 429


# --- the staff side -------------------------------------------------------------------------


def test_the_list_masks_id_numbers_and_phones(client, town, grid_worker):
    report = _report(town)
    response = login(client, grid_worker).get(reverse("screening:self-report-list"))
    text = response.content.decode()
    assert "赵六" in text
    assert report.id_number not in text
    assert report.phone not in text
    assert report.id_number[-4:] in text


def test_the_review_shows_the_full_number_and_audits_the_read(client, town, grid_worker):
    report = _report(town)
    url = reverse("screening:self-report-detail", kwargs={"report_id": report.pk})
    response = login(client, grid_worker).get(url)
    assert report.id_number in response.content.decode()
    assert AuditEntry.objects.filter(
        action=AuditEntry.Action.VIEW_FULL, object_type="screening.selfreport"
    ).exists()


def test_a_grid_worker_of_another_village_gets_404_on_review(client, town, outsider):
    report = _report(town)
    login(client, outsider)
    for name in ("self-report-detail", "self-report-verify", "self-report-reject"):
        url = reverse(f"screening:{name}", kwargs={"report_id": report.pk})
        method = client.get if name == "self-report-detail" else client.post
        assert method(url).status_code == 404
    assert "赵六" not in client.get(reverse("screening:self-report-list")).content.decode()


def test_verifying_creates_one_person_and_one_classified_trip(town, grid_worker):
    KeyArea.objects.create(
        region=town["town"],
        division_code="42",
        name="湖北省",
        label="湖北",
        starts_on=date(2026, 1, 1),
    )
    report = _report(town)
    report = self_reports.self_report_verify(actor=grid_worker, report=report, today=TODAY)
    person = Person.objects.get(id_number=report.id_number)
    assert person.household is None
    assert person.region == town["wafang_1"]
    assert person.birth_date == date(1985, 6, 15)
    assert person.name_initials and person.id_tail == report.id_number[-4:]
    trip = Trip.objects.get(person=person)
    assert trip.source == Trip.Source.SELF_REPORT
    assert trip.category == Trip.Category.KEY_AREA
    assert report.status == SelfReport.Status.VERIFIED
    assert (report.person, report.trip, report.reviewed_by) == (person, trip, grid_worker)


def test_verifying_a_known_id_attaches_to_the_existing_person(client, town, grid_worker):
    person = factories.make_person(
        region=town["wafang_1"], name="赵六", id_number=factories.valid_id_number(sequence=779)
    )
    Person.objects.filter(pk=person.pk).update(phone="")
    report = _report(town, id_number=person.id_number)
    url = reverse("screening:self-report-verify", kwargs={"report_id": report.pk})
    response = login(client, grid_worker).post(url)
    assert response.status_code == 302
    assert Person.objects.filter(id_number=person.id_number).count() == 1
    person.refresh_from_db()
    assert person.phone == "13812345678"
    assert Trip.objects.filter(person=person, source=Trip.Source.SELF_REPORT).count() == 1


def test_a_known_person_outside_the_scope_is_not_revealed(town, grid_worker):
    elsewhere = factories.make_person(
        region=town["beiqi_1"], name="赵六", id_number=factories.valid_id_number(sequence=780)
    )
    report = _report(town, id_number=elsewhere.id_number)
    with pytest.raises(ValidationError, match=r"HQ|指挥部"):
        self_reports.self_report_verify(actor=grid_worker, report=report, today=TODAY)
    report.refresh_from_db()
    assert report.status == SelfReport.Status.PENDING
    assert not Trip.objects.exists()


def test_rejecting_needs_a_reason_and_is_audited(client, town, grid_worker):
    report = _report(town)
    url = reverse("screening:self-report-reject", kwargs={"report_id": report.pk})
    login(client, grid_worker)
    client.post(url, {"reason": ""})
    report.refresh_from_db()
    assert report.status == SelfReport.Status.PENDING
    client.post(url, {"reason": "重复提交"})
    report.refresh_from_db()
    assert (report.status, report.reject_reason) == (SelfReport.Status.REJECTED, "重复提交")
    assert AuditEntry.objects.filter(
        action=AuditEntry.Action.UPDATE, object_type="screening.selfreport"
    ).exists()


def test_the_poster_carries_a_qr_code_of_the_village_form(client, town, grid_worker):
    url = reverse("screening:self-report-poster", kwargs={"code": town["wafang_1"].code})
    response = login(client, grid_worker).get(url)
    text = response.content.decode()
    assert response.status_code == 200
    assert "<svg" in text
    assert f"/report/{town['wafang'].code}/" in text


def test_the_poster_of_another_village_is_404(client, town, grid_worker):
    url = reverse("screening:self-report-poster", kwargs={"code": town["beiqi"].code})
    assert login(client, grid_worker).get(url).status_code == 404


def test_a_grid_worker_finds_the_poster_of_their_village(client, town, grid_worker):
    response = login(client, grid_worker).get(reverse("screening:self-report-list"))
    poster = reverse("screening:self-report-poster", kwargs={"code": town["wafang"].code})
    assert poster in response.content.decode()
    assert client.get(poster).status_code == 200
    other = reverse("screening:self-report-poster", kwargs={"code": town["beiqi"].code})
    assert other not in response.content.decode()


# --- other documents than the resident ID card ------------------------------------------------


def test_the_form_offers_the_documents_returnees_carry(client, town):
    response = client.get(reverse("report:form", kwargs={"code": town["wafang"].code}))
    choices = [value for value, _label in response.context["form"].fields["document_type"].choices]
    assert choices == [
        "resident_id",
        "hkmt_residence",
        "hk_macau_permit",
        "taiwan_permit",
        "passport",
    ]
    assert "护照" in response.content.decode()


def test_a_passport_number_is_kept_without_the_id_card_checks(client, town):
    response = _post(client, town, document_type="passport", id_number=" e1234 5678 ")
    assert response.status_code == 302
    report = SelfReport.objects.get()
    assert (report.document_type, report.id_number) == ("passport", "E12345678")


def test_a_resident_id_still_gets_the_check_digit_test(client, town):
    number = factories.valid_id_number(sequence=781)
    wrong = number[:-1] + ("0" if number[-1] != "0" else "1")
    response = _post(client, town, document_type="resident_id", id_number=wrong)
    assert response.status_code == 400
    assert "校验" in str(response.context["form"].errors["id_number"])
    assert not SelfReport.objects.exists()


def test_a_residence_permit_number_chosen_as_resident_id_says_what_is_wrong(client, town):
    permit = factories.valid_id_number(sequence=782, area="810000")
    response = _post(client, town, document_type="resident_id", id_number=permit)
    assert response.status_code == 400
    assert "810000" in str(response.context["form"].errors["id_number"])
    response = _post(client, town, document_type="hkmt_residence", id_number=permit)
    assert response.status_code == 302
    assert SelfReport.objects.get().document_type == "hkmt_residence"


def test_an_empty_document_number_is_a_field_error(client, town):
    response = _post(client, town, document_type="passport", id_number="  ")
    assert response.status_code == 400
    assert "证件号码" in str(response.context["form"].errors["id_number"])


def test_a_document_the_form_does_not_offer_is_refused(town):
    with pytest.raises(ValidationError) as error:
        self_reports.self_report_submit(
            village=town["wafang"],
            client="x",
            name="赵六",
            document_type="other",
            id_number="123",
            phone="13812345678",
            address="黄包谷地组5号",
            origin_text="湖北武汉",
        )
    assert "document_type" in error.value.message_dict


def test_verifying_a_passport_matches_type_and_number(client, town, grid_worker):
    """The same number on another document type is another person: only (type, number) match."""
    holder = factories.make_person(region=town["wafang_1"], name="赵六")
    other = factories.make_person(region=town["wafang_1"], name="钱七")
    Person.objects.filter(pk=holder.pk).update(document_type="passport", id_number="E12345678")
    Person.objects.filter(pk=other.pk).update(
        document_type="hk_macau_permit", id_number="E12345678"
    )
    report = _report(town, document_type="passport", id_number="E12345678")
    self_reports.self_report_verify(actor=grid_worker, report=report, today=TODAY)
    report.refresh_from_db()
    assert report.person == holder
    assert Trip.objects.filter(person=holder).count() == 1
    assert not Trip.objects.filter(person=other).exists()


def test_verifying_an_unknown_passport_registers_a_passport_holder(town, grid_worker):
    report = _report(town, document_type="taiwan_permit", id_number="01234567")
    self_reports.self_report_verify(actor=grid_worker, report=report, today=TODAY)
    person = Person.objects.get(id_number="01234567")
    assert person.document_type == "taiwan_permit"
    assert person.birth_date is None


def test_the_review_names_the_document_type(client, town, grid_worker):
    report = _report(town, document_type="passport", id_number="E12345678")
    url = reverse("screening:self-report-detail", kwargs={"report_id": report.pk})
    body = login(client, grid_worker).get(url).content.decode()
    assert 'data-testid="document-type">护照<' in body
