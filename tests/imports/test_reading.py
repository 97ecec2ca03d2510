"""Opening files: every sheet of a workbook, CSV dialects and encodings, and bad files."""

import math
import zipfile

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from imports.parsing import text
from imports.reading import FileReadError, Kind, column_frame, file_open
from tests.imports.conftest import HEADER, person_row, write_csv, write_xlsx


def _nik_and_name(sheet):
    from imports.columns import detect_mapping

    mapping = detect_mapping(sheet.head, sheet.merged)
    frame = sheet.frame(
        columns=[mapping.columns["nik"], mapping.columns["name"]], first_row=mapping.first_data_row
    )
    return mapping, frame


@pytest.mark.parametrize("delimiter", [";", ",", "\t", "|"])
@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
def test_csv_any_delimiter_and_encoding(tmp_path, delimiter, encoding):
    # given: a name with an accent, which cp1252 and UTF-8 encode differently
    rows = [person_row(1, name="Désirée Rahayu"), person_row(2)]
    path = write_csv(tmp_path / "data.csv", rows, delimiter=delimiter, encoding=encoding)

    # when
    (sheet,) = file_open(path)
    mapping, frame = _nik_and_name(sheet)

    # then
    assert mapping.header_row == 1
    assert frame[f"c{mapping.columns['name']}"].to_list()[:2] == ["Désirée Rahayu", "Orang Uji 2"]
    assert frame["row"].to_list()[:2] == [2, 3]


def test_csv_with_quoted_line_breaks_keeps_row_numbers(tmp_path):
    # given
    path = tmp_path / "kutip.csv"
    path.write_text(
        'NIK;Nama;Kab/Kota\n"3204011708850001";"Budi\nSantoso";Kab. Bandung\n'
        "3204011708850002;Siti;Kab. Bandung\n",
        encoding="utf-8",
    )

    # when
    (sheet,) = file_open(path)
    _, frame = _nik_and_name(sheet)

    # then
    assert frame["c1"].to_list() == ["Budi\nSantoso", "Siti"]
    assert frame["row"].to_list() == [2, 3]


def test_every_sheet_of_a_workbook_is_read(tmp_path):
    # given
    path = write_xlsx(tmp_path / "dua.xlsx", [person_row(1)])
    from openpyxl import load_workbook

    wb = load_workbook(path)
    second = wb.create_sheet("Kota")
    second.append(HEADER)
    second.append(person_row(2))
    wb.save(path)

    # when
    sheets = file_open(path)

    # then
    assert [s.name for s in sheets] == ["Data", "Kota"]


def test_ods_workbook(tmp_path):
    # given: a minimal OpenDocument spreadsheet, as LibreOffice saves it
    cells = "".join(
        "<table:table-row>"
        + "".join(
            f'<table:table-cell office:value-type="string"><text:p>{v}</text:p></table:table-cell>'
            for v in row
        )
        + "</table:table-row>"
        for row in (["NIK", "Nama", "Kab/Kota"], ["3204011708850001", "Budi", "Kab. Bandung"])
    )
    content = (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        '<office:body><office:spreadsheet><table:table table:name="Lembar1">'
        f"{cells}</table:table></office:spreadsheet></office:body></office:document-content>"
    )
    path = tmp_path / "data.ods"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        zf.writestr("content.xml", content)
        zf.writestr(
            "META-INF/manifest.xml",
            '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
            'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">'
            '<manifest:file-entry manifest:full-path="/" manifest:media-type='
            '"application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry '
            'manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
            "</manifest:manifest>",
        )

    # when
    (sheet,) = file_open(path)
    _, frame = _nik_and_name(sheet)

    # then
    assert sheet.name == "Lembar1"
    assert frame["c0"].to_list() == ["3204011708850001"]


@pytest.mark.parametrize(
    "name,content,message",
    [
        ("kosong.xlsx", b"", "kosong"),
        ("rusak.xlsx", b"PK\x03\x04 bukan zip yang utuh", "tidak dapat dibuka"),
        ("gambar.png", b"\x89PNG\r\n", "tidak didukung"),
        ("kosong.csv", b"\n\n", "kosong"),
    ],
)
def test_bad_files_say_why_in_indonesian(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(FileReadError, match=message):
        file_open(path)


def test_csv_line_longer_than_the_header_is_not_cut(tmp_path):
    # given: an extra field on a later line (a stray delimiter)
    path = tmp_path / "panjang.csv"
    path.write_text(
        "NIK;Nama;Kab/Kota\n3204011708850001;Budi;Kab. Bandung\n"
        "3204011708850002;Siti;Kab. Bandung;catatan\n",
        encoding="utf-8",
    )

    # when
    (sheet,) = file_open(path)
    _, frame = _nik_and_name(sheet)

    # then
    assert frame["c1"].to_list() == ["Budi", "Siti"]


_cells = st.one_of(
    # Control characters aside: Python and polars disagree whether \x1c-\x1f are spaces.
    st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=12),
    st.floats(allow_nan=True, allow_infinity=True),
    # Spreadsheet numbers are doubles: integers are exact up to 2^53.
    st.integers(min_value=-(2**53), max_value=2**53),
    st.sampled_from(["Rp 2.500.000,-", " 3204011708850011 ", "", "  ", "-"]),
)
KINDS = {str: Kind.TEXT, float: Kind.NUMBER, int: Kind.NUMBER}


@given(values=st.lists(_cells, min_size=1, max_size=40))
@settings(max_examples=300, deadline=None)
def test_a_column_reads_the_same_text_and_kind_as_cell_by_cell(values):
    """The vectorised column conversions give each cell parsing.text's text and its kind
    (a column of numbers only reads NaN as an empty cell, as Excel shows it)."""
    numbers_only = all(isinstance(v, float | int) for v in values)
    expected = []
    for v in values:
        shown = "" if numbers_only and isinstance(v, float) and math.isnan(v) else text(v).strip()
        expected.append((shown, Kind.EMPTY if shown == "" else KINDS[type(v)]))

    frame = column_frame(values, 0)

    assert list(zip(frame["c0"], frame["k0"], strict=True)) == expected
