"""The set cover behind the course recommendation: exact for small cases, greedy otherwise."""

from competency import services
from competency.qualification import CourseSpec, set_cover
from competency.selectors import person_path
from tests.competency.conftest import U


def _course(i: int, code: str, bits: list[int], hours: int = 10) -> CourseSpec:
    return CourseSpec(
        id=i, code=code, title=code, hours=hours, units=(), mask=sum(1 << b for b in bits)
    )


# A known case: the universe {0..5}. Greedy takes the big course {0,1,2,3} first and then
# needs both halves for 4 and 5 (three courses); the optimum is the two halves.
BIG = _course(1, "besar", [0, 1, 2, 3])
ODD = _course(2, "ganjil", [0, 2, 4])
EVEN = _course(3, "genap", [1, 3, 5])
UNIVERSE = 0b111111


def test_exact_cover_chooses_the_smallest_set_where_greedy_would_not():
    exact = set_cover(courses=[BIG, ODD, EVEN], must=UNIVERSE)
    greedy = set_cover(courses=[BIG, ODD, EVEN], must=UNIVERSE, exact_limit=0)

    assert exact.method == "eksak"
    assert [c.code for c in exact.courses] == ["ganjil", "genap"]
    assert greedy.method == "serakah"
    assert len(greedy.courses) == 3  # the greedy answer really is worse here
    assert greedy.bound is not None and greedy.bound <= 1 + 4  # H(4) ≈ 2.08


def test_partial_electives_are_covered_with_fewest_courses():
    # must {0}; need 2 of the pool {1,2,3}
    a = _course(1, "a", [0])
    b = _course(2, "b", [1])
    c = _course(3, "c", [0, 2, 3])
    result = set_cover(courses=[a, b, c], must=0b1, pool=0b1110, k=2)

    assert [x.code for x in result.courses] == ["c"]
    assert result.complete


def test_ties_go_to_fewer_hours():
    long = _course(1, "panjang", [0, 1], hours=80)
    short = _course(2, "pendek", [0, 1], hours=20)

    assert [c.code for c in set_cover(courses=[long, short], must=0b11).courses] == ["pendek"]


def test_units_no_course_covers_are_reported():
    only = _course(1, "satu", [0])
    result = set_cover(courses=[only], must=0b11)

    assert [c.code for c in result.courses] == ["satu"]
    assert result.uncoverable_mask == 0b10
    assert not result.complete


def test_many_candidates_use_greedy_and_say_so():
    courses = [_course(i, f"k{i:02d}", [i]) for i in range(30)]
    result = set_cover(courses=courses, must=(1 << 30) - 1)

    assert result.method == "serakah"
    assert len(result.courses) == 30
    assert "serakah" in result.method_label


def test_the_person_path_uses_the_smallest_set_of_courses(actor, person, certify):
    # given: level III held; level IV misses unit 5 and one elective of {4, 6}
    certify(person, [1, 2, 3])
    provider = services.training_provider_create(actor=actor, name="Balai Diklat Uji")
    for code, units, hours in [
        ("etika-lanjut", [5, 11, 12], 60),  # the big course: covers 5 only of the gap
        ("rujukan", [4], 20),
        ("asesmen-rujukan", [5, 4], 45),
    ]:
        services.course_create(
            actor=actor,
            provider=provider,
            code=code,
            title=code,
            hours=hours,
            mode="daring",
            unit_codes=[U[n] for n in units],
        )

    cover = person_path(person=person).plan.cover

    assert [c.code for c in cover.courses] == ["asesmen-rujukan"]
    assert cover.method == "eksak"
