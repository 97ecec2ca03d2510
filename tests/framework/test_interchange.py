"""A whole framework round-trips through YAML and XLSX unchanged; bad files are refused."""

import io

import pytest
import yaml
from django.core.exceptions import ValidationError
from openpyxl import load_workbook

from framework.interchange import (
    document_from_xlsx,
    document_from_yaml,
    document_to_xlsx,
    document_to_yaml,
    framework_document,
)
from framework.models import FrameworkVersion
from framework.services import (
    STARTER_FILE,
    framework_version_delete,
    framework_version_import,
    framework_version_import_file,
)


def _sheets(data: bytes) -> dict[str, list[tuple]]:
    book = load_workbook(io.BytesIO(data), read_only=True)
    return {ws.title: list(ws.iter_rows(values_only=True)) for ws in book.worksheets}


def test_yaml_export_import_export_is_identical(actor, starter):
    # given the starter exported as YAML
    first = document_to_yaml(framework_document(starter))
    framework_version_delete(actor=actor, version=starter)
    # when imported again and exported
    again = framework_version_import_file(actor=actor, filename="x.yaml", data=first.encode())
    # then the text is the same, byte for byte
    assert document_to_yaml(framework_document(again)) == first


def test_xlsx_export_import_export_is_identical(actor, starter):
    # given the starter exported as XLSX
    original = framework_document(starter)
    first = document_to_xlsx(original)
    framework_version_delete(actor=actor, version=starter)
    # when imported again
    again = framework_version_import_file(actor=actor, filename="x.xlsx", data=first)
    # then the content is the same as the original and the sheets hold the same cells
    assert framework_document(again) == original
    assert _sheets(document_to_xlsx(framework_document(again))) == _sheets(first)
    assert {"jenjang", "unit", "unit_elemen", "paket", "paket_unit", "aturan"} <= set(
        _sheets(first)
    )


def test_xlsx_and_yaml_carry_the_same_document(starter):
    document = framework_document(starter)
    assert document_from_xlsx(document_to_xlsx(document)) == document
    assert document_from_yaml(document_to_yaml(document)) == document


def test_starter_file_is_what_the_export_writes(starter):
    # the shipped file parses to exactly what is stored (nothing lost or reordered on load)
    assert document_from_yaml(STARTER_FILE.read_bytes()) == framework_document(starter)


def test_import_reports_every_problem(actor):
    document = yaml.safe_load(STARTER_FILE.read_text(encoding="utf-8"))
    document["version"]["name"] = "Rusak"
    document["units"][0]["code"] = "Q.88.001"
    document["rules"][0]["scope"] = "klaster-tak-ada"
    document["rules"][1]["level"] = 12
    document["rules"][2]["regulation"] = ""
    with pytest.raises(ValidationError) as error:
        framework_version_import(actor=actor, document=document)
    text = " ".join(error.value.messages)
    assert "Q.88.001" in text and "format SKKNI" in text
    assert "klaster-tak-ada" in text
    assert "jenjang 12" in text
    assert "dasar hukum" in text
    assert not FrameworkVersion.objects.filter(name="Rusak").exists()


def test_import_refuses_a_name_taken(actor, starter):
    with pytest.raises(ValidationError, match="sudah ada"):
        framework_version_import_file(
            actor=actor, filename=STARTER_FILE.name, data=STARTER_FILE.read_bytes()
        )


def test_import_needs_national_admin(operator):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        framework_version_import_file(
            actor=operator, filename=STARTER_FILE.name, data=STARTER_FILE.read_bytes()
        )
