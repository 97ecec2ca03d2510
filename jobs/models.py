"""A long job's state and progress, visible to whoever started it.

The task queue (django-tasks) runs the work; this row is what people watch. Progress is
written on its own connection (see jobs.services.job_progress) so that it stays visible while
the work itself holds a long transaction.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import pgettext_lazy


class Job(models.Model):
    class Status(models.TextChoices):
        QUEUED = "antre", pgettext_lazy("job status", "Dalam antrean")
        RUNNING = "berjalan", pgettext_lazy("job status", "Sedang berjalan")
        DONE = "selesai", pgettext_lazy("job status", "Selesai")
        FAILED = "gagal", pgettext_lazy("job status", "Gagal")

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(max_length=50)
    title = models.CharField(max_length=200)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="jobs",
    )
    params = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    message = models.CharField(max_length=300, blank=True)
    # The language of whoever started the job: its progress and outcome are written in it.
    language = models.CharField(max_length=10, blank=True)
    result = models.JSONField(default=dict, blank=True)
    result_file = models.FileField(upload_to="jobs/%Y/%m/", blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "pekerjaan"
        # A user's job list, newest first: a page is a range of this index (issue 14).
        indexes = [models.Index(fields=["owner", "created_at", "id"], name="jobs_job_owner_order")]
        verbose_name_plural = "pekerjaan"

    def __str__(self) -> str:
        return self.title

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        return int(self.done * 100 / self.total) if self.total else 0

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)


class ScheduledRun(models.Model):
    """When a periodic job (jobs.schedule.schedule()) was last enqueued, and which job that was."""

    kind = models.CharField(max_length=50, unique=True)
    last_enqueued_at = models.DateTimeField(null=True, blank=True)
    last_job = models.ForeignKey(
        Job, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "jadwal pekerjaan"
        verbose_name_plural = "jadwal pekerjaan"

    def __str__(self) -> str:
        return self.kind
