"""The import_legacy command: summary, report, exit status, profiles, full roster."""

import io

import pytest
from django.core.management import CommandError, call_command

from imports.models import MappingProfile
from registry.models import Engagement, Person
from tests.factories import make_nik
from tests.imports.conftest import SAMPLES, person_row, write_xlsx


def cli(*args):
    out = io.StringIO()
    call_command("import_legacy", *map(str, args), stdout=out, stderr=io.StringIO())
    return out.getvalue()


@pytest.mark.django_db
def test_import_prints_a_summary_and_writes_the_report(tmp_path, programmes):
    # given
    report = tmp_path / "laporan.xlsx"

    # when
    first = cli(SAMPLES / "anak.csv", "--cluster", "anak", "--report", report)
    again = cli(SAMPLES / "anak.csv", "--cluster", "anak")

    # then
    assert "Baris data dibaca" in first and "204" in first
    assert "Orang baru" in first and "Ditolak" in first
    assert report.stat().st_size > 0
    assert "Tidak berubah" in again  # a re-run that changes nothing exits normally
    assert Engagement.objects.count() == 195


@pytest.mark.django_db
def test_exit_status_for_unreadable_and_fully_rejected_files(tmp_path, programmes):
    # given
    broken = tmp_path / "rusak.xlsx"
    broken.write_bytes(b"PK\x03\x04 rusak")
    rejected = write_xlsx(tmp_path / "ditolak.xlsx", [person_row(1, nik="123")])

    # when / then
    with pytest.raises(CommandError) as unreadable:
        cli(broken, "--cluster", "anak")
    assert unreadable.value.returncode == 1
    with pytest.raises(CommandError) as all_rejected:
        cli(rejected, "--cluster", "anak")
    assert all_rejected.value.returncode == 1
    with pytest.raises(CommandError) as unknown_user:
        cli(rejected, "--cluster", "anak", "--user", "tidak-ada")
    assert unknown_user.value.returncode == 2
    assert not Person.objects.exists()


@pytest.mark.django_db
def test_saved_mapping_profile_is_applied_by_name(tmp_path, programmes):
    # given: a file whose headers the detector cannot know, and a profile for it
    header = ["Identitas", "Pendamping", "Lokasi Kerja"]
    path = write_xlsx(
        tmp_path / "aneh.xlsx", [[make_nik(serial=1), "Budi", "Kab. Bandung"]], header=header
    )
    MappingProfile.objects.create(
        name="Format aneh",
        columns={"nik": "Identitas", "name": "Pendamping", "regency": "Lokasi Kerja"},
    )

    # when / then: without the profile the file cannot be read, with it it can
    with pytest.raises(CommandError):
        cli(path, "--cluster", "anak")
    cli(path, "--cluster", "anak", "--mapping", "Format aneh")
    assert Engagement.objects.get().regency_id == "32.04"


@pytest.mark.django_db
def test_full_roster_shows_the_preview_and_needs_confirmation(tmp_path, programmes):
    # given
    cli(write_xlsx(tmp_path / "lama.xlsx", [person_row(1), person_row(2)]), "--cluster", "anak")
    new = write_xlsx(tmp_path / "baru.xlsx", [person_row(1)])

    # when: a dry run, then a commit without --yes (no terminal to ask), then with --yes
    preview = cli(new, "--cluster", "anak", "--full-roster", "--dry-run")
    with pytest.raises(CommandError):
        cli(new, "--cluster", "anak", "--full-roster")
    assert not Engagement.objects.filter(status="berakhir").exists()
    cli(new, "--cluster", "anak", "--full-roster", "--yes")

    # then
    assert make_nik(serial=2) in preview and "akan diakhiri" in preview
    assert Engagement.objects.get(status="berakhir").person.nik == make_nik(serial=2)
