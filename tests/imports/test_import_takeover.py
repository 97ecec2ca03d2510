"""Issue 12 item 1: an import never takes over a person the uploader cannot see.

``op-bandung`` (32.04) uploads the NIK of someone who serves only in 73.03, with another name
and phone. The row is not matched: the dry run quotes nothing stored about that person, the
commit changes nothing of them and asks 73.03 to confirm the new engagement, and the uploader
still cannot read them until it is confirmed.
"""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.services import api_token_create
from collaboration import access as collab_access
from collaboration.models import Request
from collaboration.services import request_approve, request_verify
from imports.models import ImportRun
from imports.services import ImportSource, legacy_import
from registry.models import Engagement
from tests.factories import EngagementFactory, PersonFactory, UserFactory, make_nik
from tests.imports.conftest import person_row, write_csv

STORED = {
    "full_name": "ADIKA MAHESWARA",
    "phone": "+6285298765432",
    "email": "adika.m@contoh.id",
    "birth_place": "Sinjai",
}


@pytest.fixture
def elderly(programmes):
    return programmes["lanjut-usia"]


@pytest.fixture
def adika(elderly):
    """Someone who serves only in 73.03, outside the Bandung operator's scope."""
    person = PersonFactory(
        nik=make_nik(regency="73.03", birth_date=dt.date(1986, 5, 4), serial=77),
        name_key=STORED["full_name"],
        **STORED,
    )
    EngagementFactory(person=person, programme=elderly, regency_id="73.03")
    return person


def upload(tmp_path, adika):
    row = person_row(
        1, nik=adika.nik, name="Orang Lain Sekali", phone="0812-1111-2222", birth="04-05-1986"
    )
    return write_csv(tmp_path / "bandung.csv", [row, person_row(2)])


def run(actor, programme, path, **options):
    return legacy_import(
        actor=actor,
        programme=programme,
        sources=[ImportSource(path=path)],
        report=False,
        **options,
    )


def api(user) -> APIClient:
    _, key = api_token_create(user=user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


@pytest.mark.django_db
def test_the_dry_run_discloses_nothing_stored_about_an_unseen_person(
    tmp_path, regency_operator, elderly, adika
):
    # when
    result = run(regency_operator, elderly, upload(tmp_path, adika), dry_run=True)

    # then: the row is held back with a message that quotes nothing stored
    text = " ".join(result.issues["message"].to_list() + result.issues["fix"].to_list())
    phone_digits = STORED["phone"][3:]
    for stored in [*STORED.values(), phone_digits, "ADIKA", "Maheswara"]:
        assert stored.lower() not in text.lower()
    mine = result.issues.filter(result.issues["row"] == 2)
    assert mine["code"].to_list() == ["nik_other_scope"]
    assert "di luar cakupan Anda" in mine["message"][0]
    assert result.counts["pending_confirmation"] == 1
    assert result.counts["new_people"] == 1  # the other row goes on


@pytest.mark.django_db
def test_the_commit_changes_nothing_of_them_and_asks_their_scope_to_confirm(
    tmp_path, regency_operator, elderly, adika
):
    # when
    result = run(regency_operator, elderly, upload(tmp_path, adika))

    # then: no engagement in 32.04, nothing of the person changed
    assert result.committed and result.counts["pending_confirmation"] == 1
    adika.refresh_from_db()
    assert {k: getattr(adika, k) for k in STORED} == STORED
    assert list(adika.engagements.values_list("regency_id", flat=True)) == ["73.03"]

    # and: a claim waits in 73.03, invisible to the uploader
    claim = Request.objects.get(kind=Request.Kind.ENGAGEMENT_CLAIM)
    assert (claim.person, claim.regency_id, claim.programme) == (adika, "73.03", elderly)
    assert claim.payload["regency_id"] == "32.04"
    assert not collab_access.requests_visible(regency_operator).filter(pk=claim.pk).exists()
    for stored in STORED.values():
        assert stored not in claim.reason

    # and: the uploader cannot read or change the person through the API
    client = api(regency_operator)
    assert client.get(f"/api/v1/people/{adika.uid}/").status_code == 404
    patch = client.patch(
        f"/api/v1/people/{adika.uid}/", {"full_name": "Orang Lain Sekali"}, format="json"
    )
    assert patch.status_code == 404
    listed = client.get("/api/v1/people/", {"q": adika.nik}).json()
    assert adika.nik not in str(listed)

    # and: nor through the web; the run says one row waits for confirmation
    web = Client()
    web.force_login(regency_operator)
    page = web.get(reverse("registry:person-detail", kwargs={"uid": adika.uid}))
    assert page.status_code == 404
    run_page = web.get(reverse("imports:run", kwargs={"uid": ImportRun.objects.get().uid}))
    assert "menunggu konfirmasi wilayah orang itu" in run_page.content.decode()
    assert STORED["full_name"] not in run_page.content.decode()


@pytest.mark.django_db
def test_once_their_scope_confirms_the_engagement_is_added_and_only_it(
    tmp_path, regency_operator, elderly, adika
):
    # given
    run(regency_operator, elderly, upload(tmp_path, adika))
    claim = Request.objects.get(kind=Request.Kind.ENGAGEMENT_CLAIM)
    verifier = UserFactory(
        role="verifikator_kabkota", scope_province_id="73", scope_regency_id="73.03"
    )
    cluster_admin = UserFactory(role="admin_klaster", programmes=[elderly])

    # when
    request_verify(actor=verifier, request=claim)
    request_approve(actor=cluster_admin, request=claim)

    # then
    engagement = Engagement.objects.get(person=adika, regency_id="32.04")
    assert (engagement.programme, engagement.created_by) == (elderly, regency_operator)
    adika.refresh_from_db()
    assert {k: getattr(adika, k) for k in STORED} == STORED
    assert api(regency_operator).get(f"/api/v1/people/{adika.uid}/").status_code == 200


@pytest.mark.django_db
def test_the_uploader_cannot_confirm_their_own_claim_nor_a_colleague_in_their_scope(
    tmp_path, regency_operator, elderly, adika
):
    # given
    run(regency_operator, elderly, upload(tmp_path, adika))
    claim = Request.objects.get(kind=Request.Kind.ENGAGEMENT_CLAIM)
    bandung_verifier = UserFactory(
        role="verifikator_kabkota", scope_province_id="32", scope_regency_id="32.04"
    )

    # then
    assert not collab_access.can_act(regency_operator, claim)
    assert not collab_access.can_act(bandung_verifier, claim)
