"""Issue 12 item 8: CSV text is decoded strictly, its encoding detected per file, and cells
that look wrongly decoded are warned about by row and column, never silently kept."""

import pytest

from imports.services import ImportSource, legacy_import
from registry.models import Person
from tests.factories import make_nik
from tests.imports.conftest import HEADER, person_row


@pytest.fixture
def elderly(programmes):
    return programmes["lanjut-usia"]


def csv_bytes(rows: list[list[object]], encoding: str = "utf-8") -> bytes:
    lines = [";".join(HEADER)] + [";".join(str(v) for v in row) for row in rows]
    return ("\n".join(lines) + "\n").encode(encoding)


def run(operator, programme, path):
    return legacy_import(
        actor=operator, programme=programme, sources=[ImportSource(path=path)], report=False
    )


def warnings_of(result, code):
    found = result.issues.filter(result.issues["code"] == code)
    return [(r["row"], r["column"]) for r in found.iter_rows(named=True)]


@pytest.mark.django_db
def test_one_stray_byte_does_not_turn_a_utf8_file_into_mojibake(tmp_path, operator, elderly):
    # given: a UTF-8 file with "Nuñez" and, in another row's title, one byte that is not UTF-8
    raw = csv_bytes([person_row(1, name="Siti Nuñez"), person_row(2, title="Pendamping LANSIA")])
    raw = raw.replace(b"LANSIA", b"LANS\xadIA")
    path = tmp_path / "campur.csv"
    path.write_bytes(raw)

    # when
    result = run(operator, elderly, path)

    # then: the name is read as written, and the bad byte is named by row and column
    assert Person.objects.get(nik=make_nik(serial=1)).full_name == "Siti Nuñez"
    assert warnings_of(result, "text_unreadable") == [(3, "Jabatan")]
    assert warnings_of(result, "text_mojibake") == []


@pytest.mark.django_db
def test_a_windows_1252_file_is_detected_and_read(tmp_path, operator, elderly):
    # given: an export from an old Excel, in Windows-1252
    path = tmp_path / "lama.csv"
    path.write_bytes(
        csv_bytes(
            [person_row(1, name="Siti Nuñez"), person_row(2, name="José Ramírez Peña")], "cp1252"
        )
    )

    # when
    result = run(operator, elderly, path)

    # then
    names = set(Person.objects.values_list("full_name", flat=True))
    assert names == {"Siti Nuñez", "José Ramírez Peña"}
    assert warnings_of(result, "text_unreadable") == []


@pytest.mark.django_db
def test_text_that_was_already_mis_decoded_is_warned_about(tmp_path, operator, elderly):
    # given: a file saved after someone opened it with the wrong encoding
    path = tmp_path / "rusak.csv"
    path.write_bytes(csv_bytes([person_row(1), person_row(2, name="Siti NuÃ±ez")]))

    # when
    result = run(operator, elderly, path)

    # then: kept as written, with a warning on that row's name column
    assert warnings_of(result, "text_mojibake") == [(3, "Nama")]
    (message,) = result.issues.filter(result.issues["code"] == "text_mojibake")["message"]
    assert "Siti NuÃ±ez" in message and "salah baca encoding" in message


@pytest.mark.django_db
def test_a_nul_character_refuses_the_file_with_what_to_do(tmp_path, operator, elderly):
    # given: a UTF-8 file damaged by a NUL in its header (PostgreSQL cannot store such a label)
    raw = csv_bytes([person_row(1)]).replace(b"NIK", b"NI\x00K", 1)
    path = tmp_path / "rusak.csv"
    path.write_bytes(raw)

    # when
    result = run(operator, elderly, path)

    # then: the file is refused by name with how to fix it; nothing is written
    assert [f.error for f in result.files if f.error] == [
        "Berkas rusak.csv berisi karakter kosong (NUL), jadi bukan teks CSV yang utuh: berkas "
        "rusak atau bukan CSV. Buka berkas aslinya di Excel atau LibreOffice, simpan sebagai "
        "'CSV UTF-8', lalu unggah lagi."
    ]
    assert Person.objects.count() == 0
