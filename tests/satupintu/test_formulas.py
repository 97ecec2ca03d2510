"""The formula-injection rule itself (satupintu.formulas); each writer has its own test."""

import pytest

from satupintu.formulas import cell_safe, row_safe, unquote


@pytest.mark.parametrize(
    "value, written",
    [
        ('=HYPERLINK("http://x";"klik")', '\'=HYPERLINK("http://x";"klik")'),
        ("+SUM(1+1) Ani", "'+SUM(1+1) Ani"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("-1+2", "'-1+2"),
        ("\tcmd", "'\tcmd"),
        ("\rcmd", "'\rcmd"),
        ("Ani Rahayu", "Ani Rahayu"),
        ("", ""),
        (-2_500_000, -2_500_000),  # numbers stay numbers, negative ones too
        (-1.5, -1.5),
        (None, None),
    ],
)
def test_only_formula_like_text_is_quoted(value, written):
    assert cell_safe(value) == written
    assert unquote(cell_safe(value)) == value


def test_a_row():
    assert row_safe(["=1", 2, "-3"]) == ["'=1", 2, "'-3"]
