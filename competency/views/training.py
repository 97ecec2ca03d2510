"""Training pages: providers, the course catalogue, classes, enrolment, attendance and
completion."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from competency import access, selectors, services
from competency.forms import ClassForm, CourseForm, EnrolForm, TrainingProviderForm
from competency.models import Enrolment
from competency.views._common import form_errors, message_errors, posted

PROVIDER_REGISTER_ONLY = gettext_lazy(
    "Hanya administrator yang boleh mendaftarkan penyelenggara pelatihan."
)


@login_required
def provider_list(request):
    user = request.user
    access.require(
        access.can_view_providers(user), _("Anda tidak mengelola penyelenggara pelatihan.")
    )
    q = (request.GET.get("q") or "").strip()[:100]
    page = Paginator(selectors.provider_list(user=user, q=q), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "competency/provider_list.html",
        {"page": page, "q": q, "can_register": access.can_register_provider(user)},
    )


@login_required
def provider_create(request):
    access.require(access.can_register_provider(request.user), PROVIDER_REGISTER_ONLY)
    form = TrainingProviderForm(posted(request), staff=selectors.provider_staff_candidates())
    if request.method == "POST" and form.is_valid():
        try:
            provider = services.training_provider_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(
                request,
                _("Penyelenggara pelatihan %(name)s didaftarkan.") % {"name": provider.name},
            )
            return redirect("competency:provider-list")
    return render(request, "competency/provider_form.html", {"form": form})


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
    access.require(access.can_manage_catalogue(request.user), _("Anda tidak mengelola katalog."))
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
            form_errors(form, error)
        else:
            messages.success(request, _("Pelatihan ditambahkan ke katalog."))
            return redirect("competency:course-detail", code=course.code)
    return render(
        request,
        "competency/course_form.html",
        {"form": form, "can_register_provider": access.can_register_provider(request.user)},
    )


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
            message_errors(request, error)
        else:
            messages.success(request, _("Angkatan dibuat."))
            return redirect("competency:class-detail", uid=training_class.uid)
    else:
        messages.error(request, _("Periksa isian angkatan."))
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
            "enrol_others": user.role in access.ENROL_OTHERS
            or (access.is_provider_staff(user) and access.can_manage_class(user, training_class)),
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
        messages.error(request, _("NIK harus 16 digit."))
        return redirect("competency:class-detail", uid=uid)
    nik = form.cleaned_data["nik"]
    if nik:
        person = access.person_for_enrolment(user, training_class, nik)
        if person is None:
            # Says only that the NIK is not found: nothing about whether or where it exists.
            messages.error(
                request,
                _(
                    "NIK peserta %(nik)s tidak ditemukan di registri. Periksa ke-16 digitnya; "
                    "orang yang belum terdaftar didaftarkan dahulu oleh operator daerahnya."
                )
                % {"nik": nik},
            )
            return redirect("competency:class-detail", uid=uid)
    elif user.person_id:
        person = user.person
    else:
        messages.error(request, _("Isi NIK peserta."))
        return redirect("competency:class-detail", uid=uid)
    try:
        enrolment = services.enrolment_create(
            actor=user, training_class=training_class, person=person
        )
    except (ValidationError, PermissionDenied) as error:
        message_errors(request, error)
    else:
        if enrolment.status == enrolment.Status.WAITLISTED:
            messages.warning(
                request,
                _("Kapasitas penuh: %(name)s masuk daftar tunggu angkatan ini.")
                % {"name": person.full_name},
            )
        else:
            messages.success(request, _("%(name)s terdaftar.") % {"name": person.full_name})
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
        messages.error(request, _("Tanggal tidak sah."))
    except ValidationError as error:
        message_errors(request, error)
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
        message_errors(request, error)
    return redirect("competency:class-detail", uid=enrolment.training_class.uid)
