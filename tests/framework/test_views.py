"""The public catalogue, and the administrator's pages: approve, preview, unmatched, rules."""

import pytest
from django.test import Client

from framework.models import FrameworkVersion, NomenclatureRule
from tests.factories import UserFactory


@pytest.fixture
def admin_client(national_admin):
    client = Client()
    client.force_login(national_admin)
    return client


@pytest.mark.parametrize(
    "path",
    [
        "/kerangka/",
        "/kerangka/paket/",
        "/kerangka/unit/",
        "/kerangka/aturan/",
        "/kerangka/versi/",
        "/kerangka/unit/Q.880000.101.01/",
    ],
)
def test_catalogue_is_public_and_has_no_personal_data(client, in_force, make_engagement, path):
    # given a registered facilitator
    e = make_engagement("Pendamping Lansia")
    # when an anonymous visitor opens the catalogue
    response = client.get(path)
    # then it is shown, labelled as an example, without any personal data
    assert response.status_code == 200
    text = response.content.decode()
    assert "CONTOH" in text
    assert e.person.nik not in text and e.person.full_name not in text
    assert "/keluar/" not in text and "/registri/" not in text


def test_index_shows_levels_and_unified_titles(client, in_force):
    text = client.get("/kerangka/").content.decode()
    for title in ("Asisten Pendamping Pembangunan", "Pendamping Ahli Utama"):
        assert title in text


def test_drafts_and_admin_pages_are_hidden_from_the_public(client, starter):
    assert client.get(f"/kerangka/versi/{starter.pk}/").status_code == 404
    assert starter.name not in client.get("/kerangka/versi/").content.decode()
    assert client.get("/kerangka/belum-cocok/").status_code == 302  # to sign in


@pytest.mark.parametrize("role", ["admin_klaster", "operator_provinsi", "auditor", "pendamping"])
def test_only_national_admin_may_approve(starter, role):
    client = Client()
    client.force_login(UserFactory(role=role))
    response = client.post(f"/kerangka/versi/{starter.pk}/sepakati/")
    assert response.status_code in (403, 404)
    starter.refresh_from_db()
    assert starter.status == FrameworkVersion.Status.DRAFT


def test_national_admin_approves_previews_and_activates(admin_client, starter, make_engagement):
    make_engagement("Pendamping LU", education="D3")
    # approve
    response = admin_client.post(f"/kerangka/versi/{starter.pk}/sepakati/", {"note": "BA rapat"})
    assert response.status_code == 302
    starter.refresh_from_db()
    assert starter.status == FrameworkVersion.Status.AGREED and starter.agreed_by is not None
    # preview shows the effect before applying
    text = admin_client.get(f"/kerangka/versi/{starter.pk}/pratinjau/").content.decode()
    assert "1 penugasan berubah jenjang" in text
    assert "Pendamping LU" in text
    # activation runs as a background job
    response = admin_client.post(f"/kerangka/versi/{starter.pk}/berlakukan/")
    assert response.status_code == 302 and "/pekerjaan/" in response["Location"]


def test_unmatched_titles_with_suggestions_and_quick_rule(admin_client, in_force, make_engagement):
    # given an engagement whose title no rule knows
    make_engagement("Pendamping Lansia Terlantar", education="SMA")
    # then the unmatched page lists it with similar titles and a create-rule link
    text = admin_client.get("/kerangka/belum-cocok/").content.decode()
    assert "Pendamping Lansia Terlantar" in text
    assert "Pendamping Lansia" in text and "Buat aturan dari jabatan ini" in text
    # when the administrator creates a rule from it (a draft copy of the version in force)
    form = admin_client.get(
        "/kerangka/aturan/baru/?judul=Pendamping+Lansia+Terlantar&klaster=lanjut-usia"
    )
    assert form.status_code == 200
    draft = FrameworkVersion.objects.get(status=FrameworkVersion.Status.DRAFT)
    level = draft.levels.get(number=3)
    response = admin_client.post(
        f"/kerangka/aturan/baru/?versi={draft.pk}",
        {
            "legacy_title": "Pendamping Lansia Terlantar",
            "scope": "lanjut-usia",
            "level": level.pk,
            "regulation": "Peraturan Menteri Sosial",
            "regulation_number": "7 Tahun 2021",
            "effective_date": "2024-01-01",
            "priority": 0,
        },
    )
    assert response.status_code == 302
    assert NomenclatureRule.objects.filter(
        version=draft, legacy_title="Pendamping Lansia Terlantar"
    ).exists()
    # then the draft recognises it while the version in force still lists it
    text = admin_client.get(f"/kerangka/belum-cocok/?versi={draft.pk}").content.decode()
    assert "Pendamping Lansia Terlantar" not in text


def test_rules_in_force_cannot_be_edited(admin_client, in_force):
    rule = in_force.rules.first()
    admin_client.post(f"/kerangka/aturan/{rule.pk}/hapus/")
    assert NomenclatureRule.objects.filter(pk=rule.pk).exists()


def test_exports_download(client, in_force):
    yaml_response = client.get(f"/kerangka/versi/{in_force.pk}/ekspor.yaml")
    assert yaml_response.status_code == 200
    assert b"satupintu-kerangka/1" in yaml_response.content
    xlsx = client.get(f"/kerangka/versi/{in_force.pk}/ekspor.xlsx")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"


def test_import_page_loads_a_draft(admin_client, starter):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from framework.interchange import document_to_yaml, framework_document

    data = document_to_yaml(framework_document(starter)).encode()
    response = admin_client.post(
        "/kerangka/versi/impor/",
        {"file": SimpleUploadedFile("k.yaml", data), "name": "Versi impor"},
    )
    assert response.status_code == 302
    assert FrameworkVersion.objects.get(name="Versi impor").status == "draf"


def test_one_version_in_force_is_a_database_constraint(in_force):
    from django.db import IntegrityError, transaction

    other = FrameworkVersion.objects.create(name="Lain")
    with pytest.raises(IntegrityError), transaction.atomic():
        FrameworkVersion.objects.filter(pk=other.pk).update(status="berlaku")


def test_rule_edit_in_a_draft(admin_client, starter):
    rule = starter.rules.get(legacy_title="Pendamping LU")
    response = admin_client.post(
        f"/kerangka/aturan/{rule.pk}/ubah/",
        {
            "legacy_title": "Pendamping L.U.",
            "scope": "lanjut-usia",
            "level": starter.levels.get(number=4).pk,
            "regulation": rule.regulation,
            "regulation_number": rule.regulation_number,
            "article": rule.article,
            "effective_date": "2021-01-01",
            "priority": 5,
        },
    )
    assert response.status_code == 302
    rule.refresh_from_db()
    assert (rule.level.number, rule.priority, rule.title_key) == (4, 5, "pendamping lu")
