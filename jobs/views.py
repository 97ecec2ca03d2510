from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.utils.translation import gettext as _

from jobs.selectors import JOB_ORDER, job_get, job_list
from jobs.services import job_download_record
from satupintu.keyset import seek_page


@login_required
def job_index(request):
    jobs = job_list(user=request.user)
    try:
        page = seek_page(jobs, order=JOB_ORDER, cursor=request.GET.get("cursor"), size=50)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        page = seek_page(jobs, order=JOB_ORDER, cursor=None, size=50)
    return render(request, "jobs/job_list.html", {"jobs": page, "page": page})


@login_required
def job_detail(request, uid):
    job = job_get(user=request.user, uid=uid)
    template = "jobs/_progress.html" if request.htmx else "jobs/job_detail.html"
    return render(request, template, {"job": job})


@login_required
def job_download(request, uid):
    job = job_get(user=request.user, uid=uid)
    if not job.result_file:
        raise Http404(_("Berkas hasil belum tersedia."))
    job_download_record(job=job, user=request.user)
    return FileResponse(
        job.result_file.open("rb"),
        as_attachment=True,
        filename=job.result_file.name.rsplit("/", 1)[-1],
    )
