"""Issue 22: the roster and the scenario summary write formula-like text as text."""

import datetime as dt
import io

import pytest

from incentives import exports, selectors, services
from tests.factories import EngagementFactory, PersonFactory, UserFactory
from tests.spreadsheets import FORMULA_NAMES, assert_csv_safe, assert_xlsx_safe

pytestmark = pytest.mark.django_db

MARCH = dt.date(2026, 3, 1)


def test_roster_xlsx_writes_formula_names_as_text(standard):
    # given
    for name in FORMULA_NAMES:
        EngagementFactory(
            person=PersonFactory(full_name=name), regency_id="32.04", position_level=3
        )
    operator = UserFactory(
        role="operator_kabkota", scope_province_id="32", scope_regency_id="32.04"
    )
    output = io.BytesIO()

    # when
    exports.roster_export(user=operator, region="32.04", month=MARCH, fmt="xlsx", output=output)

    # then
    assert_xlsx_safe(output.getvalue())


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_scenario_summary_writes_a_formula_name_as_text(fmt, standard, national_admin):
    # given: a scenario named like a formula
    EngagementFactory(regency_id="32.04", position_level=3)
    name = '=HYPERLINK("http://x";"klik")'
    scenario = services.scenario_create(actor=national_admin, name=name, start_year=2026)
    comparison = selectors.scenario_compare(
        user=national_admin, scenarios=[None, scenario], on=MARCH
    )
    output = io.BytesIO()

    # when
    exports.scenario_summary_write(
        user=national_admin, comparison=comparison, output=output, fmt=fmt
    )

    # then
    if fmt == "csv":
        assert_csv_safe(output.getvalue(), names=[name])
    else:
        assert_xlsx_safe(output.getvalue(), names=[name])
