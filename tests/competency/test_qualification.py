"""Attained level from units, the gap to the next level and the recommended courses."""

import datetime as dt

from competency import services
from competency.selectors import person_path
from tests.competency.conftest import U


def test_level_attained_from_certified_units(person, certify):
    # given: core 1, 2 and one elective of level III
    certify(person, [1, 2, 3])

    # when
    path = person_path(person=person)

    # then
    assert path.result.attained == 3
    assert path.attained_title == "Asisten Pendamping Pembangunan"
    assert path.result.package.code == "uji-iii"
    # next level IV: unit 5 is missing and one more elective of {4, 6}
    gap = path.result.gap
    assert gap.level == 4
    assert gap.missing_core == (U[5],)
    assert gap.electives_needed == 1
    assert gap.elective_options == (U[4], U[6])


def test_no_units_no_level_and_the_gap_is_the_lowest_package(person, framework):
    path = person_path(person=person)

    assert path.result.attained is None
    assert path.result.gap.level == 3
    assert path.result.gap.missing_core == (U[1], U[2])


def test_highest_satisfied_package_wins_and_specialisations_are_shown(person, certify):
    certify(person, [1, 2, 3, 4, 5, 7, 8, 9])

    result = person_path(person=person).result

    assert result.attained == 5
    assert result.gap is None  # no level above V in this framework
    assert [p.code for p in result.specialisations] == ["uji-klaster"]


def test_units_of_a_certificate_not_yet_issued_do_not_count(person, certify):
    certify(person, [1, 2, 3], issued_on=dt.date.today() + dt.timedelta(days=5))

    assert person_path(person=person).result.attained is None


def test_recommended_courses_cover_the_gap(actor, person, certify):
    certify(person, [1, 2, 3])
    provider = services.training_provider_create(actor=actor, name="Balai Diklat Uji")
    services.course_create(
        actor=actor,
        provider=provider,
        code="asesmen",
        title="Asesmen kebutuhan",
        hours=30,
        mode="tatap_muka",
        unit_codes=[U[5]],
    )
    services.course_create(
        actor=actor,
        provider=provider,
        code="asesmen-plus",
        title="Asesmen dan rujukan",
        hours=40,
        mode="campuran",
        unit_codes=[U[5], U[6]],
    )

    path = person_path(person=person)

    cover = path.plan.cover
    assert [c.code for c in cover.courses] == ["asesmen-plus"]
    assert cover.method == "eksak"
    assert cover.complete
