"""In real headless Chromium (issue 21): a merge is undone by a request decided like any other.
The regency operator files it from the kept person's page, the regency verifier verifies, the
cluster administrator approves; both records are back as they were before the merge."""

import pytest
from playwright.sync_api import expect

from collaboration.models import Request
from registry.models import Engagement, Merge, Person, Programme
from registry.services import person_merge
from tests.browser.journeys import decide_in_own_sessions
from tests.browser.test_referral_browser import PASSWORD, sign_in
from tests.factories import EngagementFactory, PersonFactory, UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("shared_connection_lock"),
]


def _rows(*people):
    ids = [p.pk for p in people]
    return {
        "people": list(Person.objects.filter(pk__in=ids).order_by("pk").values()),
        "engagements": list(Engagement.objects.filter(person_id__in=ids).order_by("pk").values()),
    }


def test_an_undo_request_restores_both_records(browser, page, live_server, reference_data):
    # given: two records of one woman in Kab. Bandung, merged by the national administrator
    scope = {"scope_province_id": "32", "scope_regency_id": "32.04"}
    UserFactory(username="op-bdg", role="operator_kabkota", password=PASSWORD, **scope)
    UserFactory(username="ver-bdg", role="verifikator_kabkota", password=PASSWORD, **scope)
    elderly = Programme.objects.get(slug="lanjut-usia")
    UserFactory(username="adm-lu", role="admin_klaster", password=PASSWORD, programmes=[elderly])
    admin = UserFactory(username="adm-nas", role="admin_nasional", password=PASSWORD)
    keep = PersonFactory(full_name="Siti Aminah", name_key="SITI AMINAH", sex="P")
    merged = PersonFactory(full_name="SITI AMINAH", name_key="SITI AMINAH", sex="P")
    EngagementFactory(person=keep)
    EngagementFactory(
        person=merged, programme=Programme.objects.get(slug="pkh"), legacy_title="Pendamping PKH"
    )
    before = _rows(keep, merged)
    person_merge(actor=admin, keep=keep, merge=merged, note="NIK ganda")
    assert _rows(keep, merged) != before

    # when: the operator asks for the undo from the kept person's page
    sign_in(page, "op-bdg")
    page.goto(f"/registri/{keep.uid}/")
    undo = page.locator("form", has_text="Batalkan penggabungan")
    undo.locator("input[name=reason]").fill("Ternyata dua orang berbeda (kembar)")
    undo.locator("button").click()
    expect(page.locator("body")).to_contain_text("Batalkan penggabungan")
    request = Request.objects.get(kind=Request.Kind.MERGE_UNDO)

    # and the verifier verifies, the cluster administrator approves, each in their own session
    decide_in_own_sessions(
        browser, live_server, request, (("ver-bdg", "verifikasi"), ("adm-lu", "setujui"))
    )

    # then: approved, and both records are stored as before the merge
    request.refresh_from_db()
    assert request.status == Request.Status.APPROVED, request.status
    assert _rows(keep, merged) == before
    assert Merge.objects.get().undone_by.username == "adm-lu"
