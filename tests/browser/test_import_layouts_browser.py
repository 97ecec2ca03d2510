"""A provincial operator brings a Jawa Barat office's block-layout workbook through the web
import, in real headless Chromium: the preview shows the layout it recognised, the dry run
lists what the system concluded (blocks, merged cells, regencies read through abbreviations or
typos, the rows skipped as non-data), and the commit puts every person in the right regency.
See test_import_browser.py for how the background jobs run here."""

import os

import pytest
from playwright.sync_api import expect

from registry.models import Engagement, Programme
from tests.browser.test_import_browser import DATABASE_TASKS, run_worker, sign_in
from tests.factories import UserFactory
from tests.imports.officefiles import office_files

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_block_layout_workbook_through_the_web_import(
    page, live_server, traffic, reference_data, settings, shared_connection_lock, tmp_path
):
    # given: the Jawa Barat provincial operator of the elderly cluster, and an office workbook
    settings.TASKS = DATABASE_TASKS
    user = UserFactory(
        username="operator-jabar-impor",
        role="operator_provinsi",
        programmes=[Programme.objects.get(slug="lanjut-usia")],
    )
    user.scope_province_id = "32"
    user.save()
    truth = office_files(tmp_path, seed=1)
    workbook = truth.files[0]
    rows = [r for r in truth.rows if r.file == workbook.name]
    sign_in(page, "operator-jabar-impor")

    # when: the workbook is uploaded
    page.goto("/impor/")
    page.select_option("#id_programme", label="Klaster Lanjut Usia")
    page.set_input_files("#id_file", workbook)
    page.click("text=Unggah dan lihat pratinjau")

    # then: the preview shows the layout recognised, and the instructions sheet left out
    expect(page.locator("h1")).to_have_text(f"Impor {workbook.name}")
    data_sheet = page.locator("section.sheet-preview", has_text="Data Pendamping").first
    expect(data_sheet.locator("h3", has_text="Tata letak yang dikenali")).to_be_visible()
    expect(data_sheet.locator("ul.layout-notes li").first).to_be_visible()
    guide = page.locator("section.sheet-preview", has_text="Petunjuk Pengisian")
    expect(guide).to_contain_text("barisnya tidak dibaca")

    # when: the dry run runs
    page.click("button[value=dry_run]")
    run_worker(shared_connection_lock)

    # then: the system says what it concluded, in Indonesian, for the operator to check
    conclusions = page.locator("section.conclusions")
    expect(conclusions.locator("h2")).to_have_text("Yang disimpulkan sistem")
    expect(conclusions).to_contain_text("Dilewati (bukan data)")
    expect(conclusions).to_contain_text("tanda tangan/penutup")
    expect(conclusions).to_contain_text("baris contoh")
    resolved = {r.code for r in rows if r.resolutions & {"singkatan", "salah_ketik"}}
    for code in resolved:
        expect(conclusions.locator("table")).to_contain_text(f"({code})")
    blocks = {k for r in rows for k in r.resolutions} & {"judul_blok", "sel_gabungan"}
    if "judul_blok" in blocks:
        expect(conclusions).to_contain_text("adalah judul blok")
    if "sel_gabungan" in blocks:
        expect(conclusions).to_contain_text("Sel gabungan")

    # when: the operator commits
    page.click("button[value=commit]")
    run_worker(shared_connection_lock)

    # then: every person of the workbook is in the regency the layout gave them
    expect(page.locator(".badge.status-disimpan")).to_be_visible()
    got = set(Engagement.objects.values_list("person__nik", "regency_id"))
    assert got == {(r.nik, r.code) for r in rows}
    assert not traffic.failures
