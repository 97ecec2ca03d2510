"""``{% job_outcome job as outcome %}``: what a finished job did, in sentences (jobs.outcomes)."""

from django import template

from jobs.models import Job
from jobs.outcomes import JobOutcome
from jobs.selectors import job_outcome as outcome_of

register = template.Library()


@register.simple_tag
def job_outcome(job: Job) -> JobOutcome:
    return outcome_of(job)
