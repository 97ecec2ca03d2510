"""Registry pages. Views only translate: parse, ask accounts.access, call a service or selector."""

import uuid
from typing import Any, cast
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from accounts import access
from accounts.requests import SignedInRequest
from jobs.services import job_start
from regions.selectors import province_list, regency_list, regions_in_scope
from registry import access as registry_access
from registry import selectors, services
from registry.concurrency import RecordChanged, version_of
from registry.forms import EngagementForm, PersonForm
from registry.models import Engagement, Flag, Person, Verification
from registry.nik import mask_nik
from satupintu.keyset import count_capped, seek_page
from satupintu.provides import person_sections


def _apply_errors(form: forms.Form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errs in error.message_dict.items():
            target = field if field in form.fields else None
            for msg in errs:
                form.add_error(target, msg)
    else:
        for msg in error.messages:
            form.add_error(None, msg)


@login_required
def person_list(request: SignedInRequest) -> HttpResponse:
    access.require(access.can_read(request.user))
    filters = selectors.RegistryFilters.from_params(request.GET)
    error = ""
    try:
        cursor = selectors.Cursor.decode(request.GET.get("cursor"))
        probe = selectors.scope_probe(request.user, filters)
        page = selectors.person_page(user=request.user, filters=filters, cursor=cursor, probe=probe)
        matching = selectors.person_count(user=request.user, filters=filters, probe=probe)
    except ValidationError as invalid:
        error = " ".join(invalid.messages)
        page, matching = selectors.PersonPage(people=[]), None
    params = request.GET.copy()
    params.pop("cursor", None)
    params.pop("page", None)
    by_pk = {p.pk: p for p in page.people}
    merged_notes = [
        (nik if access.sees_nik(request.user) else mask_nik(nik), by_pk[pk])
        for nik, pk in page.merged.items()
        if pk in by_pk
    ]
    context = {
        "page": page,
        "matching": matching,
        "merged_notes": merged_notes,
        "error": error,
        "filters": filters,
        "programmes": selectors.programme_choices(),
        # The region filter offers only regions inside the user's scope.
        "provinces": regions_in_scope(request.user, province_list()),
        "regencies": regions_in_scope(
            request.user, regency_list(province_code=filters.province or None)
        ),
        "counts": selectors.registry_counts(
            user=request.user,
            # The unfiltered list is the counter's own question: not asked twice.
            people=matching if filters == selectors.RegistryFilters() else None,
        ),
        "can_write": access.can_write(request.user),
        "can_export": access.can_export(request.user),
        "sees_nik": access.sees_nik(request.user),
        "levels": ["III", "IV", "V", "VI", "VII", "VIII", "IX"],
        "statuses": Engagement.Status.choices,
        "verifications": Verification.choices,
        "querystring": params.urlencode(),
    }
    template = (
        "registry/_person_rows.html"
        if request.htmx and request.htmx.target == "results"
        else "registry/person_list.html"
    )
    return render(request, template, context)


@login_required
def person_detail(request: SignedInRequest, uid: uuid.UUID) -> HttpResponse:
    person = selectors.person_detail(user=request.user, uid=uid)
    if not request.htmx:  # a page opened, not one of its fragments refreshed
        services.audit_person_read(user=request.user, person=person, via="web")
    return render(
        request,
        "registry/person_detail.html",
        {
            "person": person,
            "history": selectors.person_history(user=request.user, person=person),
            "sections": person_sections(request, person),
            "show_nik": access.sees_nik(request.user, person),
            "show_contact": access.sees_contact(request.user, person),
            "can_write": access.can_write(request.user),
            "can_verify": access.can_verify(request.user)
            and person.created_by_id != request.user.pk,
            "undoable_merges": selectors.merges_undoable(person=person)
            if access.can_write(request.user)
            else [],
        },
    )


@login_required
def person_create(request: SignedInRequest) -> HttpResponse:
    access.require(access.can_write(request.user), "Peran Anda tidak boleh menambah data registri.")
    programmes = registry_access.programmes_writable(request.user)
    person_form = PersonForm(request.POST or None, prefix="p")
    engagement_form = EngagementForm(request.POST or None, prefix="e", programmes=programmes)
    if request.method == "POST" and person_form.is_valid() and engagement_form.is_valid():
        try:
            person = services.person_register(
                actor=request.user,
                person=person_form.service_data(),
                engagement=engagement_form.service_data(),
            )
        except ValidationError as error:
            _apply_errors(
                person_form if "nik" in getattr(error, "error_dict", {}) else engagement_form, error
            )
        except PermissionDenied as error:
            engagement_form.add_error(None, str(error))
        else:
            messages.success(request, "Data tersimpan dan menunggu verifikasi.")
            return redirect("registry:person-detail", uid=person.uid)
    return render(
        request,
        "registry/person_form.html",
        {
            "person_form": person_form,
            "engagement_form": engagement_form,
            "creating": True,
        },
    )


def _person_initial(person: Person) -> dict[str, Any]:
    """The edit form's values: the fields the update service writes (address regions by id,
    under the form's names without ``_id``)."""
    return {f.removesuffix("_id"): getattr(person, f) for f in services.PERSON_FIELDS}


def _conflict(changed: RecordChanged, form: forms.Form) -> dict[str, Any]:
    """What the refused editor is shown: who changed the record, when, and which fields."""
    labels = {name: str(field.label) for name, field in form.fields.items()}
    labels.update({f"{name}_id": label for name, label in list(labels.items())})
    return {"message": changed.message, "changes": changed.changes(labels)}


@login_required
def person_edit(request: SignedInRequest, uid: uuid.UUID) -> HttpResponse:
    person = registry_access.person_get(request.user, uid, for_write=True)
    form = PersonForm(
        request.POST or None, prefix="p", initial=_person_initial(person), editing=True
    )
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            services.person_update(
                actor=request.user,
                person=person,
                data=form.service_data(),
                version=request.POST.get("version") or None,
            )
        except RecordChanged as changed:
            # Nothing was written: show the record as it is now, with its new version.
            person = cast(Person, changed.record)  # person_update checks a Person's version
            form = PersonForm(prefix="p", initial=_person_initial(person), editing=True)
            conflict = _conflict(changed, form)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, "Perubahan tersimpan.")
            return redirect("registry:person-detail", uid=person.uid)
    return render(
        request,
        "registry/person_form.html",
        {
            "person_form": form,
            "person": person,
            "version": request.POST.get("version") if form.is_bound else version_of(person),
            "conflict": conflict,
        },
    )


@login_required
def engagement_create(request: SignedInRequest, uid: uuid.UUID) -> HttpResponse:
    person = registry_access.person_get(request.user, uid, for_write=True)
    form = EngagementForm(
        request.POST or None,
        prefix="e",
        programmes=registry_access.programmes_writable(request.user),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.engagement_create(actor=request.user, person=person, **form.service_data())
        except ValidationError as error:
            _apply_errors(form, error)
        except PermissionDenied as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Penugasan ditambahkan dan menunggu verifikasi.")
            return redirect("registry:person-detail", uid=person.uid)
    return render(request, "registry/engagement_form.html", {"form": form, "person": person})


ENGAGEMENT_EDIT_FIELDS = (
    "legacy_title",
    "employment_status",
    "sk_number",
    "sk_date",
    "start_date",
    "end_date",
    "monthly_incentive",
    "status",
)


def _engagement_initial(engagement: Engagement) -> dict[str, Any]:
    initial = {f: getattr(engagement, f) for f in ENGAGEMENT_EDIT_FIELDS}
    initial.update(
        province=engagement.province_id,
        regency=engagement.regency_id,
        district=engagement.district_id,
        village=engagement.village_id,
    )
    return initial


@login_required
def engagement_edit(request: SignedInRequest, uid: uuid.UUID) -> HttpResponse:
    engagement = registry_access.engagement_get(request.user, uid, for_write=True)
    form = EngagementForm(
        request.POST or None, prefix="e", initial=_engagement_initial(engagement), editing=True
    )
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            services.engagement_update(
                actor=request.user,
                engagement=engagement,
                data=form.service_data(),
                version=request.POST.get("version") or None,
            )
        except RecordChanged as changed:
            engagement = registry_access.engagement_get(request.user, uid, for_write=True)
            form = EngagementForm(prefix="e", initial=_engagement_initial(engagement), editing=True)
            conflict = _conflict(changed, form)
        except ValidationError as error:
            _apply_errors(form, error)
        except PermissionDenied as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Penugasan diperbarui.")
            return redirect("registry:person-detail", uid=engagement.person.uid)
    return render(
        request,
        "registry/engagement_form.html",
        {
            "form": form,
            "person": engagement.person,
            "engagement": engagement,
            "version": request.POST.get("version") if form.is_bound else version_of(engagement),
            "conflict": conflict,
        },
    )


@login_required
@require_POST
def person_verify(request: SignedInRequest, uid: uuid.UUID) -> HttpResponse:
    person = registry_access.person_get(request.user, uid)
    services.person_verify(actor=request.user, person=person)
    messages.success(request, "Data terverifikasi.")
    return redirect("registry:person-detail", uid=person.uid)


@login_required
@require_POST
def flag_resolve(request: SignedInRequest, uid: uuid.UUID, flag_id: int) -> HttpResponse:
    person = registry_access.person_get(request.user, uid)
    flag = get_object_or_404(Flag, pk=flag_id, person=person)
    try:
        services.flag_resolve(actor=request.user, flag=flag, note=request.POST.get("note", ""))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Tanda ditutup.")
    return redirect("registry:person-detail", uid=person.uid)


@login_required
def flag_list(request: SignedInRequest) -> HttpResponse:
    access.require(access.can_read(request.user))
    code = request.GET.get("code", "")
    flags = selectors.flag_list(user=request.user, code=code)
    try:
        page = seek_page(
            flags, order=selectors.FLAG_ORDER, cursor=request.GET.get("cursor"), size=50
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        page = seek_page(flags, order=selectors.FLAG_ORDER, cursor=None, size=50)
    return render(
        request,
        "registry/flag_list.html",
        {
            "page": page,
            "matching": count_capped(flags),
            "code": code,
            "querystring": urlencode({"code": code}) if code else "",
            "codes": Flag.Code.choices,
        },
    )


@login_required
def duplicate_list(request: SignedInRequest) -> HttpResponse:
    access.require(access.can_read(request.user))
    try:
        page = selectors.possible_duplicates(user=request.user, cursor=request.GET.get("cursor"))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        page = selectors.possible_duplicates(user=request.user)
    return render(
        request,
        "registry/duplicate_list.html",
        {
            "page": page,
            "can_merge": access.can_merge(request.user),
            "sees_nik": access.sees_nik(request.user),
        },
    )


@login_required
@require_POST
def person_merge(request: SignedInRequest) -> HttpResponse:
    keep = registry_access.person_get(request.user, request.POST.get("keep"))
    merge = registry_access.person_get(request.user, request.POST.get("merge"))
    try:
        services.person_merge(
            actor=request.user, keep=keep, merge=merge, note=request.POST.get("note", "")
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("registry:duplicate-list")
    messages.success(request, f"Data NIK {merge.nik[-4:]} digabung ke {keep.display_name}.")
    return redirect("registry:person-detail", uid=keep.uid)


@login_required
@require_POST
def registry_export(request: SignedInRequest) -> HttpResponse:
    access.require(
        access.can_export(request.user), "Peran Anda tidak boleh mengekspor data registri."
    )
    fmt = request.POST.get("format", "xlsx")
    if fmt not in {"csv", "xlsx"}:
        fmt = "xlsx"
    filters = selectors.RegistryFilters.from_params(request.POST)
    job = job_start(
        kind="registry_export",
        title=f"Ekspor registri ({fmt.upper()})",
        owner=request.user,
        params={"filters": filters.as_dict(), "format": fmt},
    )
    return redirect("jobs:detail", uid=job.uid)


def home(request: HttpRequest) -> HttpResponse:
    """The landing page after sign-in: the registry for those who read it, otherwise the
    competency pages (assessors and training providers work there)."""
    if not request.user.is_authenticated:
        return redirect("login")
    if request.user.role == "pendamping" and request.user.person_id:
        return redirect("logbook:home")  # a facilitator's daily work is their logbook
    if access.can_read(request.user):
        return redirect("registry:person-list")
    return redirect("competency:index")
