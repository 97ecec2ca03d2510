"""Issue 22: the framework workbook writes formula-like text as text and reads it back."""

import pytest

from framework.interchange import document_from_xlsx, document_to_xlsx, framework_document
from framework.models import CompetencyUnit
from tests.spreadsheets import assert_xlsx_safe


@pytest.mark.django_db
def test_formula_like_titles_are_text_and_round_trip(starter):
    # given: unit titles that begin like formulas (a dash, an equals sign)
    units = list(CompetencyUnit.objects.filter(version=starter)[:2])
    titles = ["- Melakukan pendampingan", '=HYPERLINK("http://x";"klik")']
    for unit, title in zip(units, titles, strict=True):
        unit.title = title
        unit.save(update_fields=["title"])
    document = framework_document(starter)

    # when
    data = document_to_xlsx(document)

    # then
    assert_xlsx_safe(data, names=titles)
    assert document_from_xlsx(data) == document
