from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.utils.translation import gettext as _

from jobs.selectors import job_get, job_list
from jobs.services import job_download_record


@login_required
def job_index(request):
    return render(request, "jobs/job_list.html", {"jobs": job_list(user=request.user)[:100]})


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
