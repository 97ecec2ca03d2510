"""Competency fixtures: a small framework in force (built with the framework's own services),
an LSP with an assessor, and helpers that certify people through the real services."""

import datetime as dt

import pytest

from accounts.services import system_user
from competency import services
from tests.factories import EngagementFactory, PersonFactory, UserFactory

U = {n: f"Q.990000.{n:03d}.01" for n in range(1, 13)}


def _unit(code: str, title: str) -> dict:
    return {
        "code": code,
        "title": title,
        "description": "",
        "range_of_variables": "",
        "assessment_guide": "",
        "elements": [{"title": "Elemen", "criteria": ["Kriteria terpenuhi."]}],
        "key_competencies": [],
    }


def _level(number: int, title: str) -> dict:
    return {
        "number": number,
        "category": "operator" if number <= 3 else "teknisi" if number <= 6 else "ahli",
        "unified_title": title,
        "work_ability": "-",
        "knowledge": "-",
        "responsibility": "-",
    }


def _package(code: str, level: int, core: list[int], electives: list[int], k: int) -> dict:
    return {
        "code": code,
        "name": f"Paket {code}",
        "kind": "kualifikasi",
        "level": level,
        "programme": "",
        "description": "",
        "core_units": [U[i] for i in core],
        "elective_units": [U[i] for i in electives],
        "min_electives": k,
    }


DOCUMENT = {
    "format": "satupintu-kerangka/1",
    "version": {"name": "Kerangka uji kompetensi", "is_example": True, "notes": "uji"},
    "levels": [
        _level(3, "Asisten Pendamping Pembangunan"),
        _level(4, "Pendamping Pembangunan Muda"),
        _level(5, "Pendamping Pembangunan Madya"),
        _level(6, "Pendamping Pembangunan Utama"),
        _level(7, "Pendamping Ahli Muda"),
        _level(8, "Pendamping Ahli Madya"),
        _level(9, "Pendamping Ahli Utama"),
    ],
    "units": [_unit(code, f"Unit uji {n}") for n, code in U.items()],
    # III: core 1,2 + 1 of {3,4}; IV: core 1,2,5 + 2 of {3,4,6}; V: core 1,2,5,7 + 1 of {6,8}.
    "packages": [
        _package("uji-iii", 3, [1, 2], [3, 4], 1),
        _package("uji-iv", 4, [1, 2, 5], [3, 4, 6], 2),
        _package("uji-v", 5, [1, 2, 5, 7], [6, 8], 1),
        {
            **_package("uji-klaster", 4, [9], [10], 0),
            "kind": "klaster",
            "programme": "lanjut-usia",
        },
    ],
    # Agreement needs one nomenclature rule; harmonisation is not what these tests look at.
    "rules": [
        {
            "legacy_title": "Pendamping Lansia",
            "scope": "lanjut-usia",
            "level": 3,
            "regulation": "Contoh",
            "regulation_number": "1/2020",
            "effective_date": "2020-04-22",
        }
    ],
}


@pytest.fixture(autouse=True)
def _private_files(settings, tmp_path):
    """Keys and uploads of a test live in its own folder, never in var/."""
    settings.COMPETENCY_SIGNING_KEY_PATH = tmp_path / "kunci" / "ed25519.pem"
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.COMPETENCY_PUBLIC_BASE_URL = "https://satupintu.example"


@pytest.fixture
def actor(db):
    return system_user()


@pytest.fixture
def framework(actor):
    from framework.harmonize import framework_version_activate
    from framework.services import framework_version_agree, framework_version_import

    version = framework_version_import(actor=actor, document=DOCUMENT, source="uji")
    version = framework_version_agree(actor=actor, version=version)
    framework_version_activate(actor=actor, version=version)
    return version


@pytest.fixture
def lsp(actor):
    return services.lsp_create(
        actor=actor,
        name="LSP Uji Pendamping",
        kind="P2",
        licence_number="BNSP-LSP/001/2021",
        licence_valid_until=dt.date(2030, 12, 31),
    )


@pytest.fixture
def assessor_user(db):
    return UserFactory(role="asesor", username="asesor-uji", email="asesor@example.org")


@pytest.fixture
def assessor(actor, assessor_user, lsp):
    return services.assessor_create(
        actor=actor, user=assessor_user, lsp=lsp, registration_number="MET.000.001"
    )


@pytest.fixture
def person(db):
    return PersonFactory(full_name="Siti Aminah", email="siti@example.org")


@pytest.fixture
def certify(actor, framework, lsp, assessor, assessor_user):
    """certify(person, [unit numbers], issued_on=..., level=...) -> Certificate, through the
    real path: a scheme, an assessment, a Kompeten verdict per unit, issuance."""
    counter = {"n": 0}

    def make(person, numbers, *, issued_on=None, level=None, years=3):
        counter["n"] += 1
        scheme = services.scheme_create(
            actor=actor,
            lsp=lsp,
            code=f"skema-{counter['n']}",
            name=f"Skema uji {counter['n']}",
            unit_codes=[U[n] for n in numbers],
            level=level,
            validity_years=years,
        )
        issued_on = issued_on or dt.date.today() - dt.timedelta(days=10)
        assessment = services.assessment_schedule(
            actor=actor, person=person, scheme=scheme, assessor=assessor, scheduled_on=issued_on
        )
        for n in numbers:
            services.unit_result_record(
                actor=assessor_user,
                assessment=assessment,
                unit_code=U[n],
                verdict="K",
                # a certificate may be issued on a later day, a unit is never judged ahead
                assessed_on=min(issued_on, dt.date.today()),
            )
        # The assessor recommends, the LSP (here a national administrator) decides and issues.
        services.assessment_recommend(actor=assessor_user, assessment=assessment)
        return services.certificate_issue(actor=actor, assessment=assessment, issued_on=issued_on)

    return make


@pytest.fixture
def decided_engagement(person):
    """An engagement whose position level IV was fixed by SK."""
    return EngagementFactory(
        person=person, position_level=4, harmonised_level=4, position_sk_number="SK-7/2024"
    )


@pytest.fixture
def three_unit_assessment(actor, person, lsp, framework, assessor):
    """three_unit_assessment(days_ago): Siti (serving somewhere) scheduled for a scheme of
    units 1-3 that many days ago, with the demo assessor."""

    def make(days_ago: int):
        EngagementFactory(person=person)
        scheme = services.scheme_create(
            actor=actor,
            lsp=lsp,
            code="skema-tiga",
            name="Skema tiga unit",
            unit_codes=[U[1], U[2], U[3]],
            level=None,
        )
        return services.assessment_schedule(
            actor=actor,
            person=person,
            scheme=scheme,
            assessor=assessor,
            scheduled_on=dt.date.today() - dt.timedelta(days=days_ago),
        )

    return make
