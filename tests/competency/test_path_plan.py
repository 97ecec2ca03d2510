"""The competency path after training: a passed course is never recommended again, the path
ends in the assessment step when only certification is missing, and the gap is shown to the
next level and to the level of the person's position (or a target the user chooses)."""

import datetime as dt

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from competency import services
from competency.selectors import person_path
from tests.competency.conftest import U
from tests.factories import EngagementFactory


@pytest.fixture
def provider(actor, framework):
    return services.training_provider_create(actor=actor, name="Balai Diklat Uji")


@pytest.fixture
def course(actor, provider):
    def make(code: str, numbers: list[int], hours: int = 80):
        return services.course_create(
            actor=actor,
            provider=provider,
            code=code,
            title=f"Pelatihan {code}",
            hours=hours,
            mode="tatap_muka",
            unit_codes=[U[n] for n in numbers],
        )

    return make


@pytest.fixture
def passed(actor):
    """passed(person, course): the person took a class of the course and passed it."""

    def make(person, course):
        training_class = services.training_class_create(
            actor=actor,
            course=course,
            name="Angkatan I",
            start_date=dt.date(2024, 1, 8),
            end_date=dt.date(2024, 1, 19),
            place="Bandung",
            capacity=30,
        )
        enrolment = services.enrolment_create(
            actor=actor, training_class=training_class, person=person
        )
        return services.enrolment_complete(
            actor=actor, enrolment=enrolment, passed=True, completed_on=dt.date(2024, 1, 19)
        )

    return make


def test_a_passed_course_is_not_recommended_again_and_the_path_ends_in_assessment(
    actor, person, course, passed, lsp
):
    # given: the level III course (units 1, 2, 3) passed, nothing certified yet
    EngagementFactory(person=person, position_level=3, harmonised_level=3)
    berjenjang = course("berjenjang-iii", [1, 2, 3])
    course("iii-lain", [1, 2, 4], hours=90)
    services.scheme_create(
        actor=actor,
        lsp=lsp,
        code="skema-iii",
        name="Skema Asisten Pendamping",
        unit_codes=[U[1], U[2], U[3]],
        level=3,
    )
    passed(person, berjenjang)

    # when
    path = person_path(person=person)

    # then: no course again; the units wait for an assessment, under the scheme that tests them
    assert path.plan.gap.level == 3
    assert path.plan.cover.courses == ()
    assert path.plan.awaiting_assessment == (U[1], U[2], U[3])
    assert path.plan.assessment_only
    assert [s.code for s in path.schemes] == ["skema-iii"]


def test_only_the_units_not_trained_are_left_to_courses(person, course, passed):
    # given: trained in 1 and 2 only; unit 3 or 4 (one elective) is still missing
    first = course("inti", [1, 2], hours=40)
    course("inti-lagi", [1, 2, 3], hours=60)
    course("pilihan", [4], hours=20)
    passed(person, first)

    path = person_path(person=person)

    # then: neither the passed course nor the one repeating its units, only the elective
    assert [c.code for c in path.plan.cover.courses] == ["pilihan"]
    assert path.plan.awaiting_assessment == (U[1], U[2])
    assert not path.plan.assessment_only


def test_a_course_whose_units_are_all_certified_is_not_recommended(person, certify, course):
    certify(person, [1, 2])
    course("sudah", [1, 2], hours=10)
    course("pilihan", [3], hours=30)

    path = person_path(person=person)

    assert [c.code for c in path.plan.cover.courses] == ["pilihan"]


def test_the_gap_is_shown_to_the_next_level_and_to_the_positions_level(person, certify, course):
    # given: attained III; appointed at V
    certify(person, [1, 2, 3])
    EngagementFactory(person=person, position_level=5, harmonised_level=4)
    course("muda", [5, 6], hours=40)
    course("madya", [5, 6, 7], hours=60)

    path = person_path(person=person)

    assert (path.result.attained, path.plan.gap.level) == (3, 4)
    assert path.position_level == 5
    assert path.target_level == 5 and not path.target_is_chosen
    assert path.target_plan.gap.missing_core == (U[5], U[7])
    assert [c.code for c in path.target_plan.cover.courses] == ["madya"]


def test_the_page_and_the_api_show_both_gaps_and_a_chosen_target(
    client, actor, person, certify, course, passed
):
    # given: attained III, trained in unit 5 for IV; the user chooses V as the target
    certify(person, [1, 2, 3])
    EngagementFactory(person=person, position_level=3, harmonised_level=3)
    passed(person, course("muda", [5, 6], hours=40))
    client.force_login(actor)

    page = client.get(reverse("competency:person-path", args=[person.uid]), {"target": "5"})
    api = APIClient()
    api.force_authenticate(actor)
    data = api.get(f"/api/v1/competency/people/{person.uid}/path/", {"target": 5}).json()

    html = page.content.decode()
    assert "Kesenjangan menuju jenjang berikutnya (IV)" in html
    assert "Kesenjangan menuju jenjang sasaran (V" in html
    assert "Langkah berikutnya: asesmen kompetensi." in html
    assert data["next_step"] == "asesmen"
    assert data["recommended_courses"] == []
    assert data["awaiting_assessment_units"] == [U[5], U[6]]
    assert data["target"]["level"] == 5
    assert data["target"]["missing_core_units"] == [U[5], U[7]]
