"""Import pages: upload → preview (header, mapping, first rows) → dry run → commit.

Views only translate: parse the request, ask accounts.access (through the selectors), call one
service or selector, render. The dry run and the commit run as background jobs.
"""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from accounts import access
from accounts.models import AuditEntry, User
from accounts.requests import SignedInRequest
from accounts.services import audit_record
from imports import selectors, services
from imports.columns import FIELD_BY_KEY
from imports.forms import ProfileForm, StartForm, UploadForm
from imports.models import ImportRun


def _require_importer(user: User) -> None:
    # A writer whose scope is missing may write nothing (fail closed), so may not import either.
    access.require(
        access.can_write_somewhere(user), "Peran Anda tidak boleh mengimpor data registri."
    )


def _errors(exc: ValidationError) -> list[str]:
    if hasattr(exc, "message_dict"):
        return [m for messages_ in exc.message_dict.values() for m in messages_]
    return list(exc.messages)


@login_required
def upload(request: SignedInRequest) -> HttpResponse:
    _require_importer(request.user)
    form = UploadForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            run = services.import_run_create(
                actor=request.user,
                programme=form.cleaned_data["programme"],
                upload=form.cleaned_data["file"],
                profile=form.cleaned_data["profile"],
            )
        except ValidationError as exc:
            for message in _errors(exc):
                form.add_error("file", message)
        else:
            return redirect("imports:run", uid=run.uid)
    runs = selectors.import_runs_visible(request.user)[:30]
    return render(request, "imports/upload.html", {"form": form, "runs": runs})


@login_required
def run_detail(request: SignedInRequest, uid: uuid.UUID) -> HttpResponse:
    run = selectors.import_run_shown(request.user, selectors.import_run_get(request.user, uid))
    context = {
        "run": run,
        "previews": [] if run.is_busy else run.preview,
        "profile_form": ProfileForm(),
        "start_form": StartForm(initial={"full_roster": run.options.get("full_roster", False)}),
        "profiles": selectors.mapping_profiles(),
        "issue_limit": services.SCREEN_ISSUES,
        "conclusions": selectors.import_run_conclusions(run),
    }
    return render(request, "imports/run_detail.html", context)


@login_required
@require_POST
def run_mapping(request: SignedInRequest, uid: uuid.UUID) -> HttpResponse:
    run = selectors.import_run_get(request.user, uid)
    # Once saved to the registry the uploaded copy is deleted and the run is history: a new
    # mapping would reopen it for a second commit.
    if run.status == ImportRun.Status.COMMITTED or not run.file:
        messages.error(
            request,
            "Impor ini sudah disimpan ke registri, jadi pemetaan kolomnya tidak bisa diubah lagi. "
            "Untuk membaca berkas dengan pemetaan lain, unggah berkasnya sebagai impor baru."
            if run.status == ImportRun.Status.COMMITTED
            else "Berkas impor ini sudah tidak tersimpan, jadi pemetaan kolomnya tidak bisa "
            "diubah. Unggah berkasnya lagi sebagai impor baru.",
        )
        return redirect("imports:run", uid=run.uid)
    try:
        header_row = int(request.POST.get("header_row", "0"))
    except ValueError:
        header_row = 0
    columns = {}
    for key in FIELD_BY_KEY:
        raw = request.POST.get(f"col_{key}", "")
        columns[key] = int(raw) if raw.isdigit() else None
    try:
        services.import_run_mapping_update(
            actor=request.user,
            run=run,
            sheet=request.POST.get("sheet", ""),
            header_row=header_row,
            columns=columns,
        )
    except ValidationError as exc:
        for message in _errors(exc):
            messages.error(request, message)
    else:
        messages.success(request, "Pemetaan kolom disimpan. Jalankan uji coba lagi.")
    return redirect("imports:run", uid=run.uid)


@login_required
@require_POST
def run_profile(request: SignedInRequest, uid: uuid.UUID) -> HttpResponse:
    run = selectors.import_run_get(request.user, uid)
    form = ProfileForm(request.POST)
    if form.is_valid():
        try:
            profile = services.mapping_profile_save(
                actor=request.user,
                name=form.cleaned_data["name"],
                run=run,
                sheet=form.cleaned_data["sheet"],
            )
        except ValidationError as exc:
            for message in _errors(exc):
                messages.error(request, message)
        else:
            messages.success(request, f"Profil '{profile.name}' disimpan.")
    return redirect("imports:run", uid=run.uid)


@login_required
@require_POST
def run_start(request: SignedInRequest, uid: uuid.UUID) -> HttpResponse:
    run = selectors.import_run_get(request.user, uid)
    form = StartForm(request.POST)
    form.is_valid()
    try:
        services.import_run_start(
            actor=request.user,
            run=run,
            dry_run=request.POST.get("action") != "commit",
            full_roster=form.cleaned_data.get("full_roster", False),
            confirm_ending=form.cleaned_data.get("confirm_ending", False),
        )
    except ValidationError as exc:
        for message in _errors(exc):
            messages.error(request, message)
    except PermissionDenied as exc:
        messages.error(request, str(exc))
    return redirect("imports:run", uid=run.uid)


@login_required
def run_progress(request: SignedInRequest, uid: uuid.UUID) -> HttpResponse:
    run = selectors.import_run_get(request.user, uid)
    response = render(request, "imports/_progress.html", {"run": run, "job": run.job})
    if request.htmx and not run.is_busy:
        response["HX-Refresh"] = "true"  # the job is done: show the report
    return response


@login_required
def run_report(request: SignedInRequest, uid: uuid.UUID) -> FileResponse:
    run = selectors.import_run_get(request.user, uid)
    access.require(
        selectors.sees_uploaded_data(request.user),
        "Laporan impor memuat NIK dan nomor telepon utuh; peran Anda tidak dapat mengunduhnya.",
    )
    if not run.report:
        raise Http404("Laporan belum tersedia.")
    # Rejected rows with their personal data, handed out as a file: an export, so audited.
    audit_record(
        actor=request.user,
        action=AuditEntry.Action.EXPORT,
        obj=run,
        changes={"report": run.report.name, "operator": run.operator_id},
        note=f"Unduh laporan impor {run.file_name}",
    )
    return FileResponse(
        run.report.open("rb"),
        as_attachment=True,
        filename=f"laporan-{run.file_name.rsplit('.', 1)[0]}.xlsx",
    )
