"""Recognition of prior learning: evidence, unit-by-unit judgement, units that count."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from competency import services
from competency.selectors import person_path, person_units
from tests.competency.conftest import U
from tests.factories import UserFactory


def _letter() -> SimpleUploadedFile:
    return SimpleUploadedFile("surat-tugas.pdf", b"%PDF-1.4 surat tugas", "application/pdf")


@pytest.fixture
def facilitator(person):
    return UserFactory(role="pendamping", person=person, username="pendamping-uji")


def test_recognised_units_count_like_certified_ones_with_their_source(
    actor, person, facilitator, assessor, assessor_user, certify, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    certify(person, [1, 2])  # core of III, no elective yet

    # given: the facilitator applies for two units with a letter of assignment
    application = services.rpl_apply(
        actor=facilitator,
        person=person,
        unit_codes=[U[3], U[4]],
        evidence=[("surat_tugas", _letter(), "SK penugasan 2019")],
    )
    services.rpl_assign(actor=actor, application=application, assessor=assessor)

    # when: the assessor recognises one unit and not the other
    services.rpl_decide(
        actor=assessor_user,
        application=application,
        decisions={U[3]: True, U[4]: False},
        decided_on=dt.date.today(),
    )

    # then
    path = person_path(person=person)
    assert path.result.attained == 3
    sources = {(u.code, u.source) for u in person_units(person=person) if u.counts}
    assert (U[3], "rpl") in sources
    assert (U[1], "sertifikat") in sources
    assert U[4] not in {u.code for u in person_units(person=person)}


def test_every_requested_unit_must_be_decided(
    actor, person, facilitator, assessor, assessor_user, framework, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    application = services.rpl_apply(
        actor=facilitator,
        person=person,
        unit_codes=[U[3], U[4]],
        evidence=[("dokumen", _letter(), "Portofolio")],
    )
    services.rpl_assign(actor=actor, application=application, assessor=assessor)

    with pytest.raises(ValidationError):
        services.rpl_decide(actor=assessor_user, application=application, decisions={U[3]: True})


def test_only_the_assigned_assessor_decides(
    actor, person, facilitator, assessor, framework, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    application = services.rpl_apply(
        actor=facilitator,
        person=person,
        unit_codes=[U[3]],
        evidence=[("dokumen", _letter(), "Portofolio")],
    )
    services.rpl_assign(actor=actor, application=application, assessor=assessor)
    other = UserFactory(role="asesor")

    with pytest.raises(PermissionDenied):
        services.rpl_decide(actor=other, application=application, decisions={U[3]: True})


def test_a_facilitator_applies_only_for_themself(person, framework):
    from tests.factories import PersonFactory

    stranger = UserFactory(role="pendamping", person=PersonFactory())
    with pytest.raises(PermissionDenied):
        services.rpl_apply(actor=stranger, person=person, unit_codes=[U[3]])
