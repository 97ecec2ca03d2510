"""Issue 22: names that are formulas leave the registry export as text, in CSV and XLSX."""

import datetime as dt
import io

import pytest
from django.core.management import call_command

from registry import services
from tests.factories import make_nik
from tests.spreadsheets import FORMULA_NAMES, assert_csv_safe, assert_xlsx_safe, csv_cells


@pytest.fixture
def formula_people(national_admin, programmes):
    for serial, name in enumerate(FORMULA_NAMES, start=1):
        person = services.person_create(
            actor=national_admin,
            nik=make_nik(regency="32.04", birth_date=dt.date(1990, 3, 12), sex="P", serial=serial),
            full_name=name,
            sex="P",
            birth_date=dt.date(1990, 3, 12),
        )
        services.engagement_create(
            actor=national_admin,
            person=person,
            programme=programmes["anak"],
            regency_id="32.04",
            legacy_title="=1+1",
            employment_status="kontrak",
            monthly_incentive=2_000_000,
        )


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_registry_writes_formula_names_as_text(fmt, formula_people, tmp_path):
    # when
    path = tmp_path / f"registri.{fmt}"
    call_command("export_registry", "--format", fmt, "--output", str(path), stdout=io.StringIO())

    # then: quoted text, no formula; the amounts are still numbers
    data = path.read_bytes()
    if fmt == "csv":
        assert_csv_safe(data, names=[*FORMULA_NAMES, "=1+1"])
        assert "2000000" in csv_cells(data)
    else:
        assert_xlsx_safe(data, names=[*FORMULA_NAMES, "=1+1"])
