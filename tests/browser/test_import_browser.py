"""The legacy import flow in real headless Chromium: upload a sample file, check the preview,
run the dry run, commit, watch the background job's progress bar reach the end, then find the
file's people in the registry; nothing leaves the host and no response fails.

How the background jobs run here. The app enqueues them on django-tasks' database backend once
the request's transaction commits (``jobs.services.job_start``); in production ``db_worker``
beside the server takes them off the queue. This test does the same: while the page shows its
progress bar and polls, the test thread runs db_worker's own loop in batch mode (every queued
task, then return), so the task row, ``jobs.tasks.run_job``, ``job_execute`` and the progress
writes are all the production ones. The ImmediateBackend would instead run the job inside the
POST that starts it, and the page would never show a running job; calling the handler by hand
would skip the queue.

On SQLite the test database lives in memory and the live server's threads share the test
thread's connection, which two threads must never use at once (``shared_connection_lock`` in
conftest.py says why). There the worker holds the lock that every live-server request takes:
the page's polls queue up behind the job and then see it finished. On PostgreSQL each thread
has its own connection, there is no lock, and the polls run while the job does, reading what
it has committed so far. (Without the lock this test failed 3 runs in 5 on SQLite, with 500s.)
"""

import json
import os
import re
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path

import pytest
from django_tasks_db.management.commands.db_worker import Worker
from playwright.sync_api import expect

from tests.factories import UserFactory

# Playwright's sync API runs an asyncio loop in this thread; the ORM calls that set up the data
# must still be allowed (tests/browser/conftest.py sets this too, and provides ``browser``,
# ``page``, ``traffic`` and ``reference_data``).
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "rahasia-uji-123"
# /work/main/tests/browser/this file -> /work: the samples live in shared/, beside the repo.
SAMPLES = Path(__file__).resolve().parents[3] / "shared" / "samples" / "legacy"
SAMPLE = "lanjut-usia.xlsx"
DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@pytest.fixture
def sample() -> dict:
    """The sample file and what expected.json says a single-door import of it must give."""
    if not (SAMPLES / SAMPLE).exists():
        missing = f"legacy samples not found at {SAMPLES}"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{missing}; CI=true, so the import browser test must run.", pytrace=False)
        pytest.skip(f"{missing} (shared/ beside the repository): import browser test skipped.")
    expected = json.loads((SAMPLES / "expected.json").read_text(encoding="utf-8"))
    spec = next(f for f in expected["files"] if f["file"] == SAMPLE)
    cluster = spec["cluster"]
    people = {
        nik: p
        for nik, p in expected["people"].items()
        if any(e["cluster"] == cluster for e in p["engagements"])
    }
    outcomes = [row["outcome"] for row in spec["rows"]]
    return {
        "path": SAMPLES / SAMPLE,
        "cluster": cluster,
        "header_row": spec["header_row"],
        "first_row": spec["rows"][0],
        "rows": len(outcomes),
        "rejected": outcomes.count("reject"),
        "flagged": outcomes.count("flag"),
        "people": people,
        "engagements": sum(
            1 for p in people.values() for e in p["engagements"] if e["cluster"] == cluster
        ),
    }


def run_worker(lock: AbstractContextManager | None) -> None:
    """The loop ``manage.py db_worker --batch`` runs: every queued task, then return. (The
    command itself would also take over the process's signal handlers and logging.)"""
    worker = Worker(
        queue_names=["default"],
        excluded_queue_names=[],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="browser-test",
    )
    with lock or nullcontext():
        worker.run()


def stat(page, label: str):
    return page.locator(".stat", has_text=label)


def sign_in(page, username: str) -> None:
    page.goto("/masuk/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("#login-submit")
    expect(page.locator("h1")).to_have_text("Registri pendamping")


def test_upload_preview_dry_run_commit_with_progress(
    browser, page, live_server, traffic, reference_data, settings, sample, shared_connection_lock
):
    # given: a national administrator, an empty registry, jobs queued for a worker
    settings.TASKS = DATABASE_TASKS
    UserFactory(username="admin-impor", role="admin_nasional")
    lock = shared_connection_lock
    sign_in(page, "admin-impor")

    # when: the sample is uploaded for its cluster
    page.goto("/impor/")
    page.select_option("#id_programme", label="Klaster Lanjut Usia")
    page.set_input_files("#id_file", sample["path"])
    page.click("text=Unggah dan lihat pratinjau")

    # then: the preview shows the detected header row, the mapping and the first rows
    expect(page.locator("h1")).to_have_text(f"Impor {SAMPLE}")
    preview = page.locator("section.sheet-preview").first
    expect(preview.locator("tr.header-row th")).to_have_text(str(sample["header_row"]))
    expect(preview.locator("tr.header-row")).to_contain_text("NIK")
    expect(preview.locator("input[name=header_row]")).to_have_value(str(sample["header_row"]))
    nik_column = preview.locator("select[name=col_nik] option:checked")
    expect(nik_column).to_contain_text("NIK")
    expect(preview.locator("select[name=col_name] option:checked")).not_to_have_text(
        "— tidak ada —"
    )
    first_rows = preview.locator("h3:has-text('Baris pertama') + div table tbody tr")
    expect(first_rows.first).to_be_visible()
    first = sample["first_row"]
    expect(first_rows.first).to_contain_text(first["nik"])
    # the regency by name, its code on hover
    regency = first_rows.first.locator("td").nth(6)
    expect(regency.locator("span")).to_have_attribute("title", first["regency_code"])
    expect(regency).not_to_have_text(first["regency_code"])

    # when: the dry run is started, it waits in the queue with a progress bar
    page.click("button[value=dry_run]")
    bar = page.locator("#import-progress [role=progressbar]")
    expect(bar).to_be_visible()
    expect(page.locator("#import-progress")).to_contain_text("Dalam antrean")
    run_worker(lock)

    # then: the page's polling notices the end and reloads with the report
    expect(page.locator("h2", has_text="Hasil uji coba (belum disimpan)")).to_be_visible()
    expect(page.locator("#import-progress")).to_have_count(0)
    expect(stat(page, "baris data dibaca")).to_have_text(f"{sample['rows']} baris data dibaca")
    expect(stat(page, "ditolak")).to_have_text(f"{sample['rejected']} ditolak")
    expect(stat(page, "ditandai")).to_have_text(f"{sample['flagged']} ditandai untuk verifikasi")
    expect(stat(page, "orang baru")).to_have_text(f"{len(sample['people'])} orang baru")
    expect(stat(page, "penugasan baru")).to_have_text(f"{sample['engagements']} penugasan baru")
    expect(page.locator("table.imports-table tr.severity-reject").first).to_be_visible()
    run_url = page.url

    # when: the commit is started, and its job page is opened from the job list
    page.click("button[value=commit]")
    expect(bar).to_be_visible()
    expect(page.locator("#import-progress")).to_contain_text("Dalam antrean")
    jobs = browser.new_context(base_url=live_server.url, locale="id-ID")
    job_page = jobs.new_page()
    job_page.set_default_timeout(20_000)
    job_page.on("request", lambda request: traffic.requests.append(request.url))
    job_page.on("response", traffic.on_response)
    sign_in(job_page, "admin-impor")
    # the dry run saved nothing, and the commit has not run yet
    expect(job_page.locator(".stats .stat").nth(0)).to_have_text("0 orang")
    job_page.click("nav.mainnav >> text=Pekerjaan")
    job_page.click(f"text=Impor {SAMPLE}")
    progress = job_page.locator("#job-progress")
    expect(progress).to_have_attribute("data-status", "antre")
    expect(progress.locator("[role=progressbar]")).to_be_visible()
    run_worker(lock)

    # then: the job's progress bar reaches the end, by polling
    expect(progress).to_have_attribute("data-status", "selesai")
    expect(progress.locator("[role=progressbar]")).to_have_attribute("aria-valuenow", "100")
    expect(progress).to_contain_text("Selesai")
    expect(progress).to_contain_text("(100%)")
    # the outcome in sentences, the import's page as a button; never the result's keys
    expect(progress.locator("#job-outcome")).to_contain_text("Impor disimpan ke registri.")
    expect(progress.locator("#job-outcome")).to_contain_text(f"{len(sample['people'])} orang baru.")
    expect(progress).not_to_contain_text("counts")
    expect(progress.get_by_role("link", name="Lihat hasil impor")).to_have_attribute(
        "href", run_url.removeprefix(live_server.url)
    )
    jobs.close()

    # and the import page reloads itself with the result
    assert page.url == run_url
    expect(page.locator("h2", has_text="Hasil impor")).to_be_visible()
    expect(page.locator(".badge.status-disimpan")).to_be_visible()
    expect(stat(page, "orang baru")).to_have_text(f"{len(sample['people'])} orang baru")

    # and the registry holds the file's people, as many as expected.json says
    page.click("nav.mainnav >> text=Registri")
    expect(page.locator(".stats .stat").nth(0)).to_have_text(f"{len(sample['people'])} orang")
    expect(page.locator(".stats .stat").nth(1)).to_have_text(f"{sample['engagements']} penugasan")
    nik, person = next(iter(sample["people"].items()))
    page.fill("#q", nik)
    page.press("#q", "Enter")
    rows = page.locator("#person-table tbody tr")
    expect(rows).to_have_count(1)
    expect(rows).to_contain_text(re.compile(re.escape(person["name"]), re.IGNORECASE))
    expect(rows).to_contain_text("Klaster Lanjut Usia")

    strays = [url for url in traffic.requests if not url.startswith(live_server.url)]
    assert not strays, f"requests left the host: {strays}"
    assert not traffic.failures, traffic.failures
