from django.db.models import QuerySet
from django.http import Http404

from accounts.models import User
from jobs.models import Job


def job_list(*, user: User) -> QuerySet[Job]:
    """A person sees the jobs they started."""
    return Job.objects.filter(owner=user).order_by("-created_at")


def job_get(*, user: User, uid) -> Job:
    job = Job.objects.filter(owner=user, uid=uid).first()
    if job is None:
        raise Http404("Pekerjaan tidak ditemukan.")
    return job
