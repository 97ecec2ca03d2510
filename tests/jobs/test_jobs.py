"""Background jobs: start, run, progress and failure, and pages only their starter can open."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from jobs.models import Job
from jobs.services import HANDLERS, job_execute, job_progress, job_register, job_start
from tests.factories import UserFactory


@pytest.fixture(autouse=True)
def handlers(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    saved = dict(HANDLERS)
    job_register("uji_hitung", "tests.jobs.handlers.counts_to_three")
    job_register("uji_gagal", "tests.jobs.handlers.breaks")
    job_register("uji_panik", "tests.jobs.handlers.panics")
    job_register("uji_henti", "tests.jobs.handlers.interrupted")
    job_register("uji_hasil", "tests.jobs.handlers.says_its_outcome")
    yield
    HANDLERS.clear()
    HANDLERS.update(saved)


@pytest.fixture
def owner(db):
    return UserFactory(
        username="pemilik", role="operator_provinsi", scope_province_id="32", password=None
    )


def test_start_creates_a_queued_job_and_enqueues_it_on_commit(
    owner, django_capture_on_commit_callbacks
):
    # when
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        job = job_start(kind="uji_hitung", title="Hitung", owner=owner, params={"a": 1})

    # then
    assert len(callbacks) == 1
    job.refresh_from_db()
    assert (job.status, job.owner, job.params) == (Job.Status.QUEUED, owner, {"a": 1})
    assert job.task_id
    task = DBTaskResult.objects.get(id=job.task_id)
    assert task.args_kwargs["args"] == [str(job.uid)]


def test_start_is_not_enqueued_when_the_transaction_rolls_back(
    owner, django_capture_on_commit_callbacks
):
    # when: no commit, no callback run
    with django_capture_on_commit_callbacks(execute=False):
        job = job_start(kind="uji_hitung", title="Hitung", owner=owner)

    # then
    job.refresh_from_db()
    assert job.task_id == ""
    assert not DBTaskResult.objects.exists()


def test_unknown_kind_is_refused(owner):
    # when / then
    with pytest.raises(ValueError, match="tidak dikenal"):
        job_start(kind="tidak_ada", title="?", owner=owner)
    assert not Job.objects.exists()


def test_execute_records_progress_result_and_file(owner):
    # given
    job = Job.objects.create(kind="uji_hitung", title="Hitung", owner=owner)

    # when
    job_execute(job)

    # then
    job.refresh_from_db()
    assert job.status == Job.Status.DONE
    # a finished job does not keep its last progress message ("Langkah 3")
    assert (job.done, job.total, job.message) == (3, 3, "Selesai.")
    assert job.result == {"rows": 3}
    assert job.percent == 100
    assert job.started_at <= job.finished_at
    assert job.result_file.read() == b"selesai\n"


def test_a_message_the_handler_set_itself_is_kept(owner):
    job = job_execute(Job.objects.create(kind="uji_hasil", title="Harmonisasi", owner=owner))

    job.refresh_from_db()
    assert job.message == "2 penugasan berubah jenjang"


def test_a_failing_job_says_why(owner):
    # given
    job = Job.objects.create(kind="uji_gagal", title="Impor", owner=owner)

    # when
    job_execute(job)

    # then
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert job.message == "Gagal: Kolom NIK tidak ditemukan"
    assert job.result["error"] == "Kolom NIK tidak ditemukan"
    assert "ValueError" in job.result["trace"]
    assert job.is_finished and job.finished_at


def test_a_base_exception_fails_the_job_with_a_reason_in_indonesian(owner):
    # given: a handler that raises what polars raises when it panics (a BaseException)
    job = Job.objects.create(kind="uji_panik", title="Impor", owner=owner)

    # when
    job_execute(job)

    # then: failed, not left running at 50 %
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED and job.finished_at
    assert job.message.startswith("Gagal: kesalahan internal saat mengolah data (Halted)")
    assert "tidak ada data yang disimpan" in job.message
    assert job.result["detail"] == "Halted: assertion failed: i < self.len()"


def test_an_interrupt_fails_the_job_and_still_stops_the_worker(owner):
    # given
    job = Job.objects.create(kind="uji_henti", title="Impor", owner=owner)

    # when
    with pytest.raises(KeyboardInterrupt):
        job_execute(job)

    # then
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED


def test_progress_is_written_at_once(owner):
    # given
    job = Job.objects.create(kind="uji_hitung", title="Hitung", owner=owner)

    # when
    job_progress(job, 40, 160, "Menulis baris…")

    # then
    stored = Job.objects.get(pk=job.pk)
    assert (stored.done, stored.total, stored.message, stored.percent) == (
        40,
        160,
        "Menulis baris…",
        25,
    )


def test_job_page_polls_while_running_and_offers_the_file_when_done(client, owner):
    # given
    job = Job.objects.create(kind="uji_hitung", title="Hitung", owner=owner)
    client.force_login(owner)
    url = reverse("jobs:detail", kwargs={"uid": job.uid})

    # when
    running = client.get(url, HTTP_HX_REQUEST="true")
    job_execute(job)
    done = client.get(url, HTTP_HX_REQUEST="true")
    page = client.get(url)

    # then
    assert 'hx-trigger="every 1s"' in running.content.decode()
    assert "<html" not in running.content.decode()
    body = done.content.decode()
    assert "hx-trigger" not in body
    assert 'data-status="selesai"' in body
    assert reverse("jobs:download", kwargs={"uid": job.uid}) in body
    assert "<h1>Hitung</h1>" in page.content.decode()


def test_failed_job_page_shows_the_message(client, owner):
    # given
    job = job_execute(Job.objects.create(kind="uji_gagal", title="Impor", owner=owner))
    client.force_login(owner)

    # when
    body = client.get(reverse("jobs:detail", kwargs={"uid": job.uid})).content.decode()

    # then
    assert "Gagal: Kolom NIK tidak ditemukan" in body
    assert "jobs:download" not in body and "Unduh hasil" not in body


def test_download(client, owner):
    # given
    job = job_execute(Job.objects.create(kind="uji_hitung", title="Hitung", owner=owner))
    client.force_login(owner)

    # when
    response = client.get(reverse("jobs:download", kwargs={"uid": job.uid}))

    # then
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="hasil.txt"'
    assert b"".join(response.streaming_content) == b"selesai\n"


def test_download_before_the_file_exists(client, owner):
    # given
    job = Job.objects.create(kind="uji_hitung", title="Hitung", owner=owner)
    client.force_login(owner)

    # when
    response = client.get(reverse("jobs:download", kwargs={"uid": job.uid}))

    # then
    assert response.status_code == 404


def test_list_shows_only_my_jobs(client, owner):
    # given
    Job.objects.create(kind="uji_hitung", title="Pekerjaan saya", owner=owner)
    Job.objects.create(
        kind="uji_hitung", title="Pekerjaan orang lain", owner=UserFactory(password=None)
    )
    client.force_login(owner)

    # when
    body = client.get(reverse("jobs:list")).content.decode()

    # then
    assert "Pekerjaan saya" in body
    assert "Pekerjaan orang lain" not in body


@pytest.mark.parametrize("name", ["jobs:detail", "jobs:download"])
def test_someone_elses_job_is_not_found(client, owner, name):
    # given
    job = job_execute(Job.objects.create(kind="uji_hitung", title="Hitung", owner=owner))
    client.force_login(UserFactory(role="admin_nasional", password=None))

    # when
    response = client.get(reverse(name, kwargs={"uid": job.uid}))

    # then: not even a national administrator
    assert response.status_code == 404


def test_the_job_list_pages_newest_first_in_constant_queries(client, owner):
    # given: more of the owner's jobs than a page, and someone else's
    client.force_login(owner)
    other = UserFactory(username="lain", role="admin_nasional", password=None)
    Job.objects.create(kind="uji_hitung", title="Bukan milik Anda", owner=other)

    def add(n: int) -> None:
        for _ in range(n):
            Job.objects.create(kind="uji_hitung", title="Hitung", owner=owner)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("jobs:list")).status_code == 200
        return len(captured.captured_queries)

    add(60)
    client.get(reverse("jobs:list"))
    short = queries()
    add(60)
    long = queries()

    # when: walking the pages
    seen, params = [], {}
    while True:
        page = client.get(reverse("jobs:list"), params).context["page"]
        seen += [job.pk for job in page]
        if page.next is None:
            break
        params = {"cursor": page.next}

    # then: all 120 of the owner's, newest first, each once; the other user's never
    assert long == short
    mine = Job.objects.filter(owner=owner).order_by("-created_at", "-pk")
    assert seen == list(mine.values_list("pk", flat=True))
    assert len(seen) == 120
