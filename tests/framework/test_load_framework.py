"""`load_framework` (called by `make run`): loads the example, activates it once, idempotent."""

import io

from django.core.management import call_command

from framework.models import FrameworkVersion


def run(*args) -> str:
    out = io.StringIO()
    call_command("load_framework", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_load_framework_activates_once_and_is_idempotent(db, make_engagement):
    e = make_engagement("Pendamping Lansia", education="D3")
    first = run("--activate", "--if-none-in-force")
    assert "CONTOH" in first and "Diberlakukan" in first
    version = FrameworkVersion.objects.get()
    assert version.status == FrameworkVersion.Status.IN_FORCE
    assert version.agreed_at and version.activated_at
    e.refresh_from_db()
    assert e.harmonised_level == 5
    # a second `make run` changes nothing
    second = run("--activate", "--if-none-in-force")
    assert "sudah ada" in second
    assert FrameworkVersion.objects.count() == 1


def test_load_framework_without_activate_leaves_a_draft(db, tmp_path):
    from framework.interchange import document_from_yaml, document_to_xlsx
    from framework.services import STARTER_FILE

    path = tmp_path / "kerangka.xlsx"
    path.write_bytes(document_to_xlsx(document_from_yaml(STARTER_FILE.read_bytes())))
    run(str(path), "--name", "Dari XLSX")
    assert FrameworkVersion.objects.get(name="Dari XLSX").status == FrameworkVersion.Status.DRAFT
