"""Competency pages. Views only translate: parse, ask competency.access, call a service or a
selector, render. Public pages (verification, status list, key) need no sign-in."""

from __future__ import annotations

import json
import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET, require_POST

from accounts import access as accounts_access
from accounts.models import AuditEntry
from accounts.services import audit_record
from competency import access, credentials, selectors, services
from competency.forms import (
    AssessmentScheduleForm,
    AssessorForm,
    ClassForm,
    CourseForm,
    EnrolForm,
    LspForm,
    RevokeForm,
    RplApplyForm,
    SchemeForm,
    TestSiteForm,
    UnitResultForm,
    error_messages,
)
from competency.models import Certificate, Enrolment
from regions.selectors import province_list, regency_list
from registry.models import ROMAN, Programme


def _errors(form, error: ValidationError) -> None:
    for field, msgs in error_messages(error).items():
        for msg in msgs:
            form.add_error(field if field in form.fields else None, msg)


def _message_errors(request, error: Exception) -> None:
    for msg in getattr(error, "messages", [str(error)]):
        messages.error(request, msg)


@login_required
def index(request):
    user = request.user
    context = {
        "person": user.person if user.person_id else None,
        "is_assessor": access.is_assessor(user),
        "can_manage_catalogue": access.can_manage_catalogue(user),
        "can_view_needs": access.can_view_needs(user),
        "can_manage_certification": access.can_manage_certification(user),
        "unread": selectors.notifications_for(user=user, unread_only=True).count(),
        "engine": selectors.engine_in_force() is not None,
    }
    return render(request, "competency/index.html", context)


# -- Training ---------------------------------------------------------------------------------


@login_required
def course_list(request):
    q = (request.GET.get("q") or "").strip()[:100]
    page = Paginator(selectors.course_list(q=q), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "competency/course_list.html",
        {"page": page, "q": q, "can_manage": access.can_manage_catalogue(request.user)},
    )


@login_required
def course_create(request):
    access.require(access.can_manage_catalogue(request.user), "Anda tidak mengelola katalog.")
    form = CourseForm(request.POST or None, providers=access.providers_managed(request.user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            course = services.course_create(
                actor=request.user,
                provider=data["provider"],
                code=data["code"],
                title=data["title"],
                hours=data["hours"],
                mode=data["mode"],
                unit_codes=data["units"],
                description=data["description"],
                prerequisites=data["prerequisites"],
            )
        except ValidationError as error:
            _errors(form, error)
        else:
            messages.success(request, "Pelatihan ditambahkan ke katalog.")
            return redirect("competency:course-detail", code=course.code)
    return render(request, "competency/course_form.html", {"form": form})


@login_required
def course_detail(request, code):
    course = selectors.course_get(code=code)
    engine = selectors.engine_in_force()
    titles = engine.catalogue.unit_titles if engine else {}
    return render(
        request,
        "competency/course_detail.html",
        {
            "course": course,
            "units": [(u.unit_code, titles.get(u.unit_code, "")) for u in course.units.all()],
            "classes": selectors.class_list(course=course),
            "can_manage": access.can_manage_course(request.user, course),
            "class_form": ClassForm(),
        },
    )


@login_required
@require_POST
def class_create(request, code):
    course = selectors.course_get(code=code)
    form = ClassForm(request.POST)
    if form.is_valid():
        try:
            training_class = services.training_class_create(
                actor=request.user, course=course, **form.cleaned_data
            )
        except (ValidationError, PermissionDenied) as error:
            _message_errors(request, error)
        else:
            messages.success(request, "Angkatan dibuat.")
            return redirect("competency:class-detail", uid=training_class.uid)
    else:
        messages.error(request, "Periksa isian angkatan.")
    return redirect("competency:course-detail", code=course.code)


@login_required
def class_detail(request, uid):
    training_class = selectors.class_get(uid=uid)
    user = request.user
    return render(
        request,
        "competency/class_detail.html",
        {
            "c": training_class,
            "enrolments": selectors.class_enrolments(user=user, training_class=training_class),
            "can_manage": access.can_manage_class(user, training_class),
            "self_enrol": bool(user.person_id) and access.can_enrol(user, user.person),
            "enrol_others": user.role in access.ENROL_OTHERS,
            "form": EnrolForm(),
            "today": timezone.localdate(),
        },
    )


@login_required
@require_POST
def class_enrol(request, uid):
    training_class = selectors.class_get(uid=uid)
    form = EnrolForm(request.POST)
    user = request.user
    if not form.is_valid():
        messages.error(request, "NIK harus 16 digit.")
        return redirect("competency:class-detail", uid=uid)
    nik = form.cleaned_data["nik"]
    if nik:
        person = accounts_access.people_visible(user).filter(nik=nik).first()
        if person is None:
            messages.error(request, "NIK tidak ditemukan dalam cakupan Anda.")
            return redirect("competency:class-detail", uid=uid)
    elif user.person_id:
        person = user.person
    else:
        messages.error(request, "Isi NIK peserta.")
        return redirect("competency:class-detail", uid=uid)
    try:
        services.enrolment_create(actor=user, training_class=training_class, person=person)
    except (ValidationError, PermissionDenied) as error:
        _message_errors(request, error)
    else:
        messages.success(request, f"{person.full_name} terdaftar.")
    return redirect("competency:class-detail", uid=uid)


def _enrolment_for_manager(user, uid) -> Enrolment:
    return selectors.enrolment_for_manager(user=user, uid=uid)


@login_required
@require_POST
def enrolment_attendance(request, uid):
    enrolment = _enrolment_for_manager(request.user, uid)
    try:
        day = timezone.datetime.strptime(request.POST.get("day", ""), "%Y-%m-%d").date()
        services.attendance_record(
            actor=request.user,
            enrolment=enrolment,
            day=day,
            present=request.POST.get("present") == "1",
        )
    except ValueError:
        messages.error(request, "Tanggal tidak sah.")
    except ValidationError as error:
        _message_errors(request, error)
    return redirect("competency:class-detail", uid=enrolment.training_class.uid)


@login_required
@require_POST
def enrolment_complete(request, uid):
    enrolment = _enrolment_for_manager(request.user, uid)
    try:
        services.enrolment_complete(
            actor=request.user, enrolment=enrolment, passed=request.POST.get("passed") == "1"
        )
    except ValidationError as error:
        _message_errors(request, error)
    return redirect("competency:class-detail", uid=enrolment.training_class.uid)


# -- Assessment and certificates --------------------------------------------------------------


@login_required
def assessor_worklist(request):
    access.require(access.is_assessor(request.user), "Halaman ini untuk asesor.")
    return render(
        request, "competency/assessor_worklist.html", selectors.assessor_worklist(user=request.user)
    )


@login_required
def assessment_detail(request, uid):
    assessment = access.assessment_get(request.user, uid)
    can_judge = access.can_judge(request.user, assessment)
    if request.method == "POST":
        access.require(can_judge, "Asesmen ini tidak ditugaskan kepada Anda.")
        form = UnitResultForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                services.unit_result_record(
                    actor=request.user, assessment=assessment, **form.cleaned_data
                )
            except ValidationError as error:
                _message_errors(request, error)
            else:
                messages.success(request, "Keputusan unit tersimpan.")
        else:
            messages.error(request, "Periksa isian keputusan unit.")
        return redirect("competency:assessment-detail", uid=uid)
    rows = selectors.assessment_unit_status(assessment=assessment)
    return render(
        request,
        "competency/assessment_detail.html",
        {
            "a": assessment,
            "rows": rows,
            "can_judge": can_judge and assessment.status == "dijadwalkan",
            "can_issue": access.can_issue_certificate(request.user, lsp_id=assessment.scheme.lsp_id)
            and all(r["competent"] for r in rows)
            and assessment.status == "dijadwalkan",
            "today": timezone.localdate(),
        },
    )


@login_required
@require_POST
def certificate_issue(request, uid):
    assessment = access.assessment_get(request.user, uid)
    try:
        certificate = services.certificate_issue(actor=request.user, assessment=assessment)
    except (ValidationError, PermissionDenied) as error:
        _message_errors(request, error)
        return redirect("competency:assessment-detail", uid=uid)
    messages.success(request, f"Sertifikat {certificate.number} terbit.")
    return redirect("competency:certificate-detail", uid=certificate.uid)


@login_required
def certificate_list(request):
    status = request.GET.get("status", "")
    q = (request.GET.get("q") or "").strip()[:100]
    page = Paginator(
        selectors.certificate_list(user=request.user, status=status, q=q), 50
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "competency/certificate_list.html",
        {"page": page, "status": status, "q": q, "statuses": Certificate.Status.choices},
    )


@login_required
def certificate_detail(request, uid):
    certificate = access.certificate_get(request.user, uid)
    return render(
        request,
        "competency/certificate_detail.html",
        {
            "c": certificate,
            "units": certificate.units.all(),
            "verify_url": credentials.verification_url(certificate.public_id),
            "can_revoke": access.can_revoke(request.user) and certificate.revoked_at is None,
            "form": RevokeForm(),
            "roman": ROMAN.get(certificate.level or 0, ""),
        },
    )


def _download_audit(request, certificate: Certificate, what: str) -> None:
    audit_record(
        actor=request.user,
        action=AuditEntry.Action.EXPORT,
        obj=certificate,
        note=f"Unduh {what}",
        person_id=certificate.person_id,
    )


@login_required
def certificate_pdf(request, uid):
    from competency.pdf import certificate_pdf as render_pdf

    certificate = access.certificate_get(request.user, uid)
    _download_audit(request, certificate, "PDF")
    name = re.sub(r"[^A-Za-z0-9._-]+", "-", certificate.number)
    response = HttpResponse(render_pdf(certificate), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="sertifikat-{name}.pdf"'
    return response


@login_required
def certificate_credential(request, uid):
    certificate = access.certificate_get(request.user, uid)
    if not certificate.counts_on(timezone.localdate()):
        raise Http404("Hanya sertifikat yang berlaku yang diterbitkan sebagai kredensial.")
    _download_audit(request, certificate, "kredensial")
    body = json.dumps(credentials.envelope(services.credential_for(certificate)), indent=2)
    name = re.sub(r"[^A-Za-z0-9._-]+", "-", certificate.number)
    response = HttpResponse(body, content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="kredensial-{name}.json"'
    return response


@login_required
@require_POST
def certificate_revoke(request, uid):
    certificate = access.certificate_get(request.user, uid)
    form = RevokeForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Alasan pencabutan wajib diisi.")
        return redirect("competency:certificate-detail", uid=uid)
    try:
        report = services.certificate_revoke(
            actor=request.user, certificate=certificate, reason=form.cleaned_data["reason"]
        )
    except (ValidationError, PermissionDenied) as error:
        _message_errors(request, error)
    else:
        reviews = len(report.reviews_raised)
        messages.success(
            request,
            "Sertifikat dicabut."
            + (f" {reviews} kasus tinjauan jenjang jabatan dibuka." if reviews else ""),
        )
    return redirect("competency:certificate-detail", uid=uid)


# -- Certification bodies, schemes, test sites, assessors, scheduling ---------------------------
# National reference data run by the certification managers (competency.access): every page
# here, lists included, is theirs alone; the services check again before writing.

CERTIFICATION_ONLY = "Hanya administrator nasional yang mengelola LSP, skema, TUK dan asesor."


def _require_certification_manager(user) -> None:
    access.require(access.can_manage_certification(user), CERTIFICATION_ONLY)


def _posted(request):
    """The POST data of a submission (even an empty one, so that it shows errors), else None."""
    return request.POST if request.method == "POST" else None


def _form_page(request, form, *, title: str, back: str):
    return render(
        request,
        "competency/manage_form.html",
        {"form": form, "title": title, "back": back},
    )


def _manage_list(request, template: str, rows) -> HttpResponse:
    _require_certification_manager(request.user)
    q = (request.GET.get("q") or "").strip()[:100]
    page = Paginator(rows(q=q), 50).get_page(request.GET.get("page"))
    return render(
        request,
        template,
        {"page": page, "q": q, "today": timezone.localdate(), "roman": ROMAN},
    )


@login_required
def lsp_list(request):
    return _manage_list(request, "competency/lsp_list.html", selectors.lsp_list)


@login_required
def lsp_create(request):
    _require_certification_manager(request.user)
    form = LspForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            lsp = services.lsp_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            _errors(form, error)
        else:
            messages.success(request, f"{lsp.name} didaftarkan.")
            return redirect("competency:lsp-list")
    return _form_page(request, form, title="LSP baru", back="competency:lsp-list")


@login_required
def lsp_update(request, pk):
    _require_certification_manager(request.user)
    lsp = selectors.lsp_get(pk=pk)
    title = f"Ubah {lsp.name}"  # a refused update may leave the object changed
    initial = {name: getattr(lsp, name) for name in services.LSP_FIELDS}
    form = LspForm(_posted(request), initial=initial, editing=True)
    if request.method == "POST" and form.is_valid():
        try:
            services.lsp_update(actor=request.user, lsp=lsp, data=form.cleaned_data)
        except ValidationError as error:
            _errors(form, error)
        else:
            messages.success(request, f"{lsp.name} diperbarui.")
            return redirect("competency:lsp-list")
    return _form_page(request, form, title=title, back="competency:lsp-list")


@login_required
def scheme_list(request):
    return _manage_list(request, "competency/scheme_list.html", selectors.scheme_list)


@login_required
def scheme_create(request):
    _require_certification_manager(request.user)
    form = SchemeForm(_posted(request), lsps=selectors.lsp_list(active_only=True))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            scheme = services.scheme_create(
                actor=request.user,
                lsp=data["lsp"],
                code=data["code"],
                name=data["name"],
                unit_codes=data["units"],
                level=data["level"],
                validity_years=data["validity_years"],
            )
        except ValidationError as error:
            _errors(form, error)
        else:
            messages.success(request, f"Skema {scheme.name} ditambahkan.")
            return redirect("competency:scheme-list")
    return _form_page(request, form, title="Skema sertifikasi baru", back="competency:scheme-list")


@login_required
def scheme_update(request, pk):
    _require_certification_manager(request.user)
    scheme = selectors.scheme_get(pk=pk)
    title = f"Ubah skema {scheme.name}"  # a refused update may leave the object changed
    initial = {
        "name": scheme.name,
        "level": scheme.level,
        "validity_years": scheme.validity_years,
        "is_active": scheme.is_active,
        "units": ", ".join(u.unit_code for u in scheme.units.all()),
    }
    form = SchemeForm(_posted(request), initial=initial, lsps=selectors.lsp_list(), scheme=scheme)
    if request.method == "POST" and form.is_valid():
        data = {**form.cleaned_data, "unit_codes": form.cleaned_data["units"]}
        try:
            services.scheme_update(actor=request.user, scheme=scheme, data=data)
        except ValidationError as error:
            _errors(form, error)
        else:
            messages.success(request, f"Skema {scheme.name} diperbarui.")
            return redirect("competency:scheme-list")
    return _form_page(request, form, title=title, back="competency:scheme-list")


@login_required
def test_site_list(request):
    return _manage_list(request, "competency/test_site_list.html", selectors.test_site_list)


@login_required
def test_site_create(request):
    _require_certification_manager(request.user)
    form = TestSiteForm(_posted(request), lsps=selectors.lsp_list(active_only=True))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            site = services.test_site_create(
                actor=request.user,
                lsp=data["lsp"],
                name=data["name"],
                kind=data["kind"],
                regency_id=data["regency"].pk if data["regency"] else None,
                address=data["address"],
            )
        except ValidationError as error:
            _errors(form, error)
        else:
            messages.success(request, f"TUK {site.name} ditambahkan.")
            return redirect("competency:test-site-list")
    return _form_page(request, form, title="TUK baru", back="competency:test-site-list")


@login_required
def test_site_update(request, pk):
    _require_certification_manager(request.user)
    site = selectors.test_site_get(pk=pk)
    title = f"Ubah TUK {site.name}"  # a refused update may leave the object changed
    initial = {
        "name": site.name,
        "kind": site.kind,
        "regency": site.regency_id,
        "address": site.address,
    }
    form = TestSiteForm(_posted(request), initial=initial, lsps=selectors.lsp_list(), site=site)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        regency = data["regency"]
        try:
            services.test_site_update(
                actor=request.user,
                site=site,
                data={**data, "regency_id": regency.pk if regency else None},
            )
        except ValidationError as error:
            _errors(form, error)
        else:
            messages.success(request, f"TUK {site.name} diperbarui.")
            return redirect("competency:test-site-list")
    return _form_page(request, form, title=title, back="competency:test-site-list")


@login_required
def assessor_list(request):
    return _manage_list(request, "competency/assessor_list.html", selectors.assessor_list)


@login_required
def assessor_create(request):
    _require_certification_manager(request.user)
    form = AssessorForm(
        _posted(request),
        users=selectors.assessor_candidates(),
        lsps=selectors.lsp_list(active_only=True),
    )
    if request.method == "POST" and form.is_valid():
        try:
            assessor = services.assessor_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            _errors(form, error)
        else:
            messages.success(request, f"Asesor {assessor.user} didaftarkan.")
            return redirect("competency:assessor-list")
    return _form_page(request, form, title="Asesor baru", back="competency:assessor-list")


@login_required
def assessor_update(request, pk):
    _require_certification_manager(request.user)
    assessor = selectors.assessor_get(pk=pk)
    title = f"Ubah asesor {assessor.user}"  # a refused update may leave the object changed
    initial = {
        "registration_number": assessor.registration_number,
        "is_active": assessor.is_active,
    }
    form = AssessorForm(
        _posted(request), initial=initial, lsps=selectors.lsp_list(), assessor=assessor
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.assessor_update(actor=request.user, assessor=assessor, data=form.cleaned_data)
        except ValidationError as error:
            _errors(form, error)
        else:
            messages.success(request, f"Asesor {assessor.user} diperbarui.")
            return redirect("competency:assessor-list")
    return _form_page(request, form, title=title, back="competency:assessor-list")


@login_required
def assessment_schedule(request):
    _require_certification_manager(request.user)
    form = AssessmentScheduleForm(
        _posted(request),
        schemes=selectors.scheme_list(active_only=True),
        assessors=selectors.assessor_list(active_only=True),
        test_sites=selectors.test_site_list(),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        person = selectors.person_for_write(user=request.user, nik=data["nik"])
        if person is None:
            form.add_error("nik", "NIK tidak ditemukan dalam cakupan Anda.")
        else:
            try:
                assessment = services.assessment_schedule(
                    actor=request.user,
                    person=person,
                    scheme=data["scheme"],
                    assessor=data["assessor"],
                    test_site=data["test_site"],
                    scheduled_on=data["scheduled_on"],
                )
            except ValidationError as error:
                _errors(form, error)
            else:
                messages.success(request, f"Asesmen {person.full_name} dijadwalkan.")
                return redirect("competency:assessment-detail", uid=assessment.uid)
    return _form_page(request, form, title="Jadwalkan asesmen", back="competency:index")


# -- People: competency path and RPL ----------------------------------------------------------


@login_required
def person_path(request, uid):
    person = access.person_get(request.user, uid)
    path = selectors.person_path(person=person)
    return render(
        request,
        "competency/person_path.html",
        {
            "path": path,
            "person": person,
            "history": selectors.training_history(person=person),
            "certificates": selectors.certificate_list(user=request.user, person=person),
            "rpl": access.rpl_visible(request.user, person.rpl_applications.all()),
            "can_apply_rpl": access.can_apply_rpl(request.user, person),
            "roman": ROMAN,
        },
    )


@login_required
def rpl_apply(request, uid):
    person = access.person_get(request.user, uid)
    access.require(
        access.can_apply_rpl(request.user, person),
        "Anda tidak boleh mengajukan RPL untuk orang ini.",
    )
    form = RplApplyForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            application = services.rpl_apply(
                actor=request.user,
                person=person,
                unit_codes=data["units"],
                evidence=[(data["kind"], data["file"], data["description"])],
                note=data["note"],
            )
        except ValidationError as error:
            _errors(form, error)
        else:
            messages.success(request, "Permohonan RPL diajukan.")
            return redirect("competency:rpl-detail", uid=application.uid)
    return render(request, "competency/rpl_form.html", {"form": form, "person": person})


@login_required
def rpl_detail(request, uid):
    application = access.rpl_get(request.user, uid)
    can_judge = access.can_judge_rpl(request.user, application)
    if request.method == "POST":
        access.require(can_judge, "Permohonan ini tidak ditugaskan kepada Anda.")
        decisions = {
            code: request.POST.get(f"unit-{code}") == "1" for code in application.requested_units
        }
        try:
            services.rpl_decide(actor=request.user, application=application, decisions=decisions)
        except ValidationError as error:
            _message_errors(request, error)
        else:
            messages.success(request, "Keputusan RPL tersimpan.")
        return redirect("competency:rpl-detail", uid=uid)
    return render(
        request,
        "competency/rpl_detail.html",
        {
            "a": application,
            "can_judge": can_judge and application.status == "diajukan",
            "decisions": {d.unit_code: d for d in application.decisions.all()},
        },
    )


# -- Planning ---------------------------------------------------------------------------------


def _planning_filters(request) -> dict:
    level = request.GET.get("level", "")
    return {
        "province": request.GET.get("province", "").strip(),
        "regency": request.GET.get("regency", "").strip(),
        "programme": request.GET.get("programme", "").strip(),
        "level": int(level) if level.isdigit() else None,
    }


@login_required
def needs_dashboard(request):
    access.require(access.can_view_needs(request.user), "Halaman ini untuk administrator.")
    filters = _planning_filters(request)
    report = selectors.needs_analysis(user=request.user, **filters)
    return render(
        request,
        "competency/needs.html",
        {
            "report": report,
            "filters": filters,
            "provinces": province_list(),
            "regencies": regency_list(province_code=filters["province"] or None),
            "programmes": Programme.objects.all(),
            "levels": [(n, ROMAN[n]) for n in range(3, 10)],
            "roman": ROMAN,
        },
    )


@login_required
def promotion_list(request):
    access.require(access.can_view_promotions(request.user), "Halaman ini untuk administrator.")
    filters = _planning_filters(request)
    filters.pop("level")
    proposals = selectors.promotion_proposals(user=request.user, **filters)
    page = Paginator(proposals, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "competency/promotions.html",
        {"page": page, "count": len(proposals), "roman": ROMAN, "filters": filters},
    )


@login_required
def notification_list(request):
    notes = selectors.notifications_for(user=request.user)[:200]
    return render(request, "competency/notifications.html", {"notifications": notes})


@login_required
@require_POST
def notification_read(request, pk):
    notification = selectors.notifications_for(user=request.user).filter(pk=pk).first()
    if notification is None:
        raise Http404("Notifikasi tidak ditemukan.")
    services.notification_read(actor=request.user, notification=notification)
    return redirect(notification.url or "competency:notifications")


# -- Public -----------------------------------------------------------------------------------


@require_GET
@cache_control(no_cache=True, max_age=0)
def verify_page(request, public_id):
    """Validity for anyone holding the QR code: name and certificate facts, nothing else."""
    certificate = selectors.certificate_public(public_id=public_id)
    if certificate is None:
        return render(request, "competency/verify.html", {"found": False}, status=404)
    today = timezone.localdate()
    return render(
        request,
        "competency/verify.html",
        {
            "found": True,
            "c": certificate,
            "status": certificate.status_on(today),
            "status_label": Certificate.Status(certificate.status_on(today)).label,
            "counts": certificate.counts_on(today),
            "units": certificate.units.all(),
            "roman": ROMAN.get(certificate.level or 0, ""),
            "today": today,
        },
    )


@require_GET
@cache_control(max_age=300)
def status_list(request):
    """The signed revocation status list (BitstringStatusListCredential as VC-JWT)."""
    return HttpResponse(services.status_list_token(), content_type="application/vc+jwt")


@require_GET
@cache_control(max_age=3600)
def jwks(request):
    """The issuer's public key(s), for anyone verifying a credential."""
    return JsonResponse(credentials.jwks(), content_type="application/jwk-set+json")
