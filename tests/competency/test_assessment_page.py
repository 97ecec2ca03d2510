"""The assessment page: its assessor decides every unit in one form (codes and titles, nothing
preselected, an ISO date that echoes), all or none; others read the units."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from competency import services
from competency.forms import unit_prefix
from competency.models import Assessment
from tests.competency.conftest import U
from tests.factories import UserFactory

TODAY = dt.date.today()
SCHEDULED = TODAY - dt.timedelta(days=2)


@pytest.fixture
def assessment(three_unit_assessment):
    return three_unit_assessment(days_ago=2)


@pytest.fixture
def url(assessment):
    return reverse("competency:assessment-detail", args=[assessment.uid])


def field(code: str, name: str) -> str:
    return f"{unit_prefix(code)}-{name}"


def test_the_form_lists_every_unit_with_its_title_and_preselects_no_verdict(
    client, assessment, assessor_user, url
):
    services.unit_result_record(
        actor=assessor_user, assessment=assessment, unit_code=U[1], verdict="K"
    )
    client.force_login(assessor_user)

    html = client.get(url).content.decode()

    # the test framework's titles (tests/competency/conftest.py) next to the codes
    assert html.count('class="card unit-decision') == 3
    for n in (1, 2, 3):
        assert f"<legend><code>{U[n]}</code> Unit uji {n}</legend>" in html
    # U[1] is Kompeten: shown, not decided again
    assert field(U[1], "verdict") not in html
    assert "sudah Kompeten, tidak diputuskan lagi." in html
    for code in (U[2], U[3]):
        checked = re.findall(rf'name="{field(code, "verdict")}" value="(\w*)"[^>]*checked', html)
        assert checked == [""], code  # "Belum diputuskan" is the only one checked
        assert f'type="date" name="{field(code, "assessed_on")}" value="{SCHEDULED:%Y-%m-%d}"' in (
            html
        )
    assert 'enctype="multipart/form-data"' in html


def test_one_submit_saves_the_decided_units_and_leaves_the_others(
    client, assessment, assessor_user, url
):
    client.force_login(assessor_user)

    response = client.post(
        url,
        {
            field(U[1], "verdict"): "K",
            field(U[1], "assessed_on"): SCHEDULED.isoformat(),
            field(U[1], "note"): "Observasi langsung",
            field(U[2], "verdict"): "BK",
            field(U[2], "assessed_on"): SCHEDULED.isoformat(),
            field(U[3], "verdict"): "",
            field(U[3], "assessed_on"): SCHEDULED.isoformat(),
        },
        follow=True,
    )

    html = response.content.decode()
    assert f"Keputusan tersimpan: {U[1]} Kompeten, {U[2]} Belum Kompeten." in html
    assert "Status asesmen: Ada unit Belum Kompeten." in html
    assert sorted(assessment.results.values_list("unit_code", "verdict", "assessed_on")) == [
        (U[1], "K", SCHEDULED),
        (U[2], "BK", SCHEDULED),
    ]
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.NOT_YET
    # U[2] is offered again, as a retake
    assert "Uji ulang: keputusan baru menjadi percobaan ke-2." in html


def test_a_missing_date_names_the_unit_and_saves_nothing(client, assessment, assessor_user, url):
    client.force_login(assessor_user)

    response = client.post(
        url,
        {
            field(U[1], "verdict"): "K",
            field(U[1], "assessed_on"): SCHEDULED.isoformat(),
            field(U[2], "verdict"): "K",
            field(U[2], "assessed_on"): "",
            field(U[3], "note"): "catatan tanpa keputusan",
        },
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert f"Unit {U[2]}: tanggal uji wajib diisi." in html
    assert (
        f"Unit {U[3]}: pilih Kompeten atau Belum Kompeten untuk catatan atau bukti yang diisi."
        in html
    )
    assert not assessment.results.exists()
    # what was typed is still there
    assert re.search(rf'name="{field(U[1], "verdict")}" value="K"[^>]*checked', html)
    assert "catatan tanpa keputusan" in html


def test_an_empty_submit_saves_nothing_and_says_so(client, assessment, assessor_user, url):
    client.force_login(assessor_user)

    response = client.post(url, {field(U[1], "assessed_on"): SCHEDULED.isoformat()}, follow=True)

    assert "Belum ada unit yang diputuskan: tidak ada yang disimpan." in response.content.decode()
    assert not assessment.results.exists()
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.SCHEDULED


def test_a_future_date_is_refused_by_the_service_next_to_its_unit(
    client, assessment, assessor_user, url
):
    client.force_login(assessor_user)
    tomorrow = (TODAY + dt.timedelta(days=1)).isoformat()

    response = client.post(
        url,
        {
            field(U[1], "verdict"): "K",
            field(U[1], "assessed_on"): SCHEDULED.isoformat(),
            field(U[3], "verdict"): "K",
            field(U[3], "assessed_on"): tomorrow,
        },
    )

    html = response.content.decode()
    assert f"Unit {U[3]}: tanggal uji tidak boleh setelah hari ini." in html
    assert not assessment.results.exists()


def test_all_kompeten_offers_the_recommendation_and_others_only_read(
    client, assessment, assessor_user, url, actor
):
    client.force_login(assessor_user)
    client.post(
        url,
        {
            k: v
            for code in (U[1], U[2], U[3])
            for k, v in {
                field(code, "verdict"): "K",
                field(code, "assessed_on"): TODAY.isoformat(),
            }.items()
        },
    )

    html = client.get(url).content.decode()
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.READY
    assert "Semua unit Kompeten, siap direkomendasikan" in html
    assert "Rekomendasikan kompeten" in html
    assert 'id="decisions-submit"' not in html  # nothing left to decide

    # a national administrator (who issues for the LSP) reads the units, decides none
    client.force_login(UserFactory(role="admin_nasional", username="admin-baca"))
    html = client.get(url).content.decode()
    assert 'id="unit-results"' in html and 'id="unit-decisions"' not in html
    assert "Rekomendasikan kompeten" not in html
    assert client.post(url, {field(U[1], "verdict"): "BK"}).status_code == 403


def test_the_worklist_shows_the_status_and_the_units_decided(client, assessment, assessor_user):
    # given: U[1] Belum Kompeten then Kompeten (two attempts, one unit), U[2] Belum Kompeten
    for code, verdict in ((U[1], "BK"), (U[1], "K"), (U[2], "BK")):
        services.unit_result_record(
            actor=assessor_user, assessment=assessment, unit_code=code, verdict=verdict
        )
    client.force_login(assessor_user)

    html = client.get(reverse("competency:assessor-worklist")).content.decode()

    row = re.search(r"<tr><td>[^<]*</td><td><a href=\"/kompetensi/asesmen/.*?</tr>", html, re.S)
    assert row, html
    assert "Ada unit Belum Kompeten" in row.group(0)
    assert '<td class="num">2/3</td>' in row.group(0)
