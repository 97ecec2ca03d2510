from django_tasks import task

from jobs.models import Job
from jobs.services import job_execute


@task()
def run_job(job_uid: str) -> str:
    job = Job.objects.get(uid=job_uid)
    return job_execute(job).status
