from django.db.models import QuerySet
from django.http import Http404
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from accounts.models import User
from jobs.models import Job
from jobs.outcomes import JobOutcome
from jobs.services import OUTCOMES

JOB_ORDER = ("-created_at", "-pk")  # newest first (paged by satupintu.keyset.seek_page)


def job_list(*, user: User) -> QuerySet[Job]:
    """A person sees the jobs they started, in JOB_ORDER."""
    return Job.objects.filter(owner=user).order_by(*JOB_ORDER)


def job_get(*, user: User, uid) -> Job:
    job = Job.objects.filter(owner=user, uid=uid).first()
    if job is None:
        raise Http404("Pekerjaan tidak ditemukan.")
    return job


def job_outcome(job: Job) -> JobOutcome:
    """What a finished job did, in sentences (its kind's outcome function, ``jobs.outcomes``);
    nothing while it runs or when it failed (its message says why)."""
    if job.status != Job.Status.DONE:
        return JobOutcome()
    result = job.result if isinstance(job.result, dict) else {}
    path = OUTCOMES.get(job.kind)
    if path is not None:
        outcome: JobOutcome = import_string(path)(job)
    else:
        # A kind that did not say how its result reads: its own closing message, if it set one.
        said = job.message if job.message and job.message not in {"Selesai.", _("Selesai.")} else ""
        outcome = JobOutcome(sentences=[said] if said else [])
    if result.get("next_url"):
        outcome.links.append((_("Lanjutkan"), str(result["next_url"])))
    return outcome
