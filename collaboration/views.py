"""Collaboration pages. Views only translate: parse, ask access, call a service or selector."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts import access
from accounts.models import User
from collaboration import access as collab_access
from collaboration import selectors, services
from collaboration.forms import (
    AreaTeamForm,
    CorrectionForm,
    ReceivingUnitForm,
    ReferralForm,
    RequestForm,
    VillageLookupForm,
)
from collaboration.models import Referral, Request
from regions.models import District, Regency, Village
from regions.search import short_name
from registry import access as registry_access


def _errors(error: ValidationError) -> str:
    return " ".join(error.messages)


def _onto_form(form, error: ValidationError) -> None:
    """A service's refusal shown at the fields it names, each message naming its field
    ("Nomor SK wajib diisi."), instead of one line of "Wajib diisi. Wajib diisi."."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, errors in error.error_dict.items():
        field = form.fields.get(name)
        for item in errors:
            message = " ".join(item.messages)
            if field is None:
                form.add_error(None, message)
            elif item.code == "required":
                form.add_error(name, _("%(field)s wajib diisi.") % {"field": field.label})
            else:
                form.add_error(name, message)


def _try(http, fn, ok: str, *, raise_invalid: bool = False, **kwargs):
    """Run a service; show its Indonesian message on refusal instead of a bare error page
    (``raise_invalid``: let the caller show a ValidationError at its form's fields)."""
    try:
        result = fn(**kwargs)
    except ValidationError as error:
        if raise_invalid:
            raise
        messages.error(http, _errors(error))
        return None
    except PermissionDenied as error:
        messages.error(http, str(error))
        return None
    messages.success(http, str(ok))
    return result


@login_required
def inbox(request):
    return render(
        request,
        "collaboration/inbox.html",
        {
            "box": selectors.inbox(user=request.user),
            "request_list_url": reverse("collaboration:request-list"),
        },
    )


@login_required
def inbox_badge(request):
    """The nav badge, fetched by htmx after the page loads so pages do not pay for it."""
    counts = selectors.inbox_counts(user=request.user)
    return render(request, "collaboration/_badge.html", {"n": sum(counts.values())})


@login_required
def request_list(request):
    rows = selectors.request_list(
        user=request.user,
        status=request.GET.get("status", ""),
        kind=request.GET.get("kind", ""),
    )[:200]
    return render(
        request,
        "collaboration/request_list.html",
        {"rows": rows, "statuses": Request.Status.choices, "kinds": Request.Kind.choices},
    )


@login_required
def request_create(request, uid):
    person = registry_access.person_get(request.user, uid)
    engagements = list(
        registry_access.engagements_visible(request.user, person.engagements.all()).select_related(
            "programme", "regency"
        )
    )
    form = RequestForm(request.POST if request.method == "POST" else None, engagements=engagements)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        engagement = next((e for e in engagements if str(e.uid) == data["engagement"]), None)
        try:
            created = _try(
                request,
                services.request_submit,
                _("Permohonan diajukan."),
                actor=request.user,
                kind=data["kind"],
                person=person,
                engagement=engagement,
                payload=form.payload(),
                effective_date=data["effective_date"],
                reason=data["reason"],
                raise_invalid=True,
            )
        except ValidationError as error:
            _onto_form(form, error)
            created = None
        if created:
            return redirect("collaboration:request-detail", created.uid)
    return render(request, "collaboration/request_form.html", {"form": form, "person": person})


@login_required
@require_POST
def merge_undo_request(request, uid):
    """The kept person's page asks to undo a merge: a request of its own kind, decided by a
    verifier and an approver like any other (the refusal, e.g. the period is over, shown)."""
    person = registry_access.person_get(request.user, uid)
    try:
        created = services.request_submit(
            actor=request.user,
            kind=Request.Kind.MERGE_UNDO,
            person=person,
            payload={"merge": request.POST.get("merge", "")},
            reason=request.POST.get("reason", ""),
        )
    except (ValidationError, PermissionDenied) as error:
        text = _errors(error) if isinstance(error, ValidationError) else str(error)
        messages.error(request, text)
        return redirect("registry:person-detail", uid=person.uid)
    messages.success(request, _("Permohonan pembatalan penggabungan diajukan."))
    return redirect("collaboration:request-detail", created.uid)


@login_required
def request_detail(request, uid):
    req = selectors.request_shown(
        user=request.user, request=collab_access.request_get(request.user, uid)
    )
    return render(
        request,
        "collaboration/request_detail.html",
        {
            "req": req,
            "events": selectors.request_history(request=req),
            "can_act": collab_access.can_act(request.user, req),
            "is_own": collab_access.is_own(request.user, req),
            "can_resubmit": req.status == Request.Status.RETURNED
            and req.submitted_by_id == request.user.pk,
        },
    )


REQUEST_ACTIONS = {
    "verifikasi": (services.request_verify, "note", gettext_lazy("Permohonan diverifikasi.")),
    "setujui": (
        services.request_approve,
        "note",
        gettext_lazy("Permohonan disetujui dan diterapkan."),
    ),
    "kembalikan": (services.request_return, "reason", gettext_lazy("Permohonan dikembalikan.")),
    "tolak": (services.request_reject, "reason", gettext_lazy("Permohonan ditolak.")),
    "ajukan_ulang": (services.request_resubmit, "note", gettext_lazy("Permohonan diajukan ulang.")),
}


@login_required
@require_POST
def request_action(request, uid):
    req = collab_access.request_get(request.user, uid)
    action = request.POST.get("action", "")
    if action not in REQUEST_ACTIONS:
        raise Http404(_("Tindakan tidak dikenal."))
    fn, text_arg, ok = REQUEST_ACTIONS[action]
    _try(
        request,
        fn,
        ok,
        actor=request.user,
        request=req,
        **{text_arg: request.POST.get("note", "")},
    )
    return redirect("collaboration:request-detail", req.uid)


@login_required
@require_POST
def flag_resolve(request, flag_id: int):
    flag = selectors.flags_waiting(user=request.user).filter(pk=flag_id).first()
    if flag is None:
        raise Http404(_("Data tidak ditemukan."))
    _try(
        request,
        services.inbox_flag_resolve,
        _("Tanda ditutup."),
        actor=request.user,
        flag=flag,
        note=request.POST.get("note", ""),
    )
    return redirect("collaboration:inbox")


@login_required
@require_POST
def level_review_resolve(request, uid):
    review = selectors.level_reviews_waiting(user=request.user).filter(uid=uid).first()
    if review is None:
        raise Http404(_("Data tidak ditemukan."))
    _try(
        request,
        services.inbox_level_review_resolve,
        _("Kasus tinjauan jenjang ditutup."),
        actor=request.user,
        review=review,
        note=request.POST.get("note", ""),
    )
    return redirect("collaboration:inbox")


@login_required
@require_POST
def notifications_read(request):
    services.notification_read(user=request.user)
    return redirect("collaboration:inbox")


# --- referrals ----------------------------------------------------------------------------


@login_required
def referral_list(request):
    rows = selectors.referral_list(user=request.user, status=request.GET.get("status", ""))
    return render(
        request,
        "collaboration/referral_list.html",
        {
            "rows": rows[:200],
            "statuses": Referral.Status.choices,
            "can_refer": collab_access.can_refer(request.user),
        },
    )


@login_required
def referral_create(request):
    access.require(collab_access.can_refer(request.user), _("Peran Anda tidak dapat merujuk."))
    lookup = VillageLookupForm(request.GET if "desa" in request.GET else None, auto_id="f-%s")
    code = ""
    if request.method == "POST":
        # The village decides the receivers offered, so it is resolved before the form is
        # built (by name or code, as the form's own field does).
        field = ReferralForm.base_fields["village"]
        try:
            code = field.clean(field.widget.value_from_datadict(request.POST, {}, "village"))
        except ValidationError:
            code = ""
        lookup = VillageLookupForm(initial={"desa": code}, auto_id="f-%s")
    elif lookup.is_bound and lookup.is_valid():
        code = lookup.cleaned_data["desa"]
    village = (
        Village.objects.select_related("district__regency").filter(pk=code).first()
        if code
        else None
    )
    receivers = selectors.referral_receivers(user=request.user, village=village) if village else []
    units = None
    if village is not None:
        units = selectors.receiving_units_near(regency_id=village.district.regency_id)
    form = ReferralForm(
        request.POST or None,
        receivers=receivers,
        units=units,
        initial={"village": code} if code else None,
        village_chosen=village is not None,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if village is None:
            messages.error(request, _("Kode desa/kelurahan tidak dikenal."))
        else:
            receiver = (
                User.objects.filter(pk=data["receiver"]).first() if data["receiver"] else None
            )
            created = _try(
                request,
                services.referral_create,
                _("Rujukan terkirim."),
                actor=request.user,
                receiver_programme=data["receiver_programme"],
                village=village,
                subject_name=data["subject_name"],
                subject_nik=data["subject_nik"],
                is_child=data["is_child"],
                need=data["need"],
                urgency=data["urgency"],
                consent=data["consent"],
                consent_note=data["consent_note"],
                receiver=receiver,
                service_name=data["service_name"],
                receiving_unit=data.get("receiving_unit"),
            )
            if created:
                return redirect("collaboration:referral-detail", created.uid)
    return render(
        request,
        "collaboration/referral_form.html",
        {"form": form, "lookup": lookup, "village": village, "receivers": receivers},
    )


@login_required
def referral_detail(request, uid):
    referral = collab_access.referral_get(request.user, uid)
    services.referral_read_audit(actor=request.user, referral=referral)
    parties = {referral.sender_id, referral.receiver_id}
    return render(
        request,
        "collaboration/referral_detail.html",
        {
            "r": referral,
            "events": selectors.referral_history(referral=referral),
            "can_respond": collab_access.can_respond(request.user, referral),
            "is_party": request.user.pk in parties,
            "show_nik": request.user.pk in parties,
        },
    )


@login_required
@require_POST
def referral_action(request, uid):
    referral = collab_access.referral_get(request.user, uid)
    _try(
        request,
        services.referral_respond,
        _("Rujukan diperbarui."),
        actor=request.user,
        referral=referral,
        action=request.POST.get("action", ""),
        note=request.POST.get("note", ""),
    )
    return redirect("collaboration:referral-detail", referral.uid)


# --- area team and self-service -----------------------------------------------------------


@login_required
def area_team(request):
    form = AreaTeamForm(request.GET or None, user=request.user)
    code = form.cleaned_data["wilayah"] if form.is_bound and form.is_valid() else ""
    village = Village.objects.select_related("district__regency").filter(pk=code).first()
    district = (
        village.district
        if village
        else District.objects.select_related("regency").filter(pk=code).first()
    )
    members = (
        selectors.area_team(user=request.user, district=district, village=village)
        if district
        else []
    )
    return render(
        request,
        "collaboration/area_team.html",
        {
            "form": form,
            "district": district,
            "village": village,
            "regency": short_name(district.regency.name) if district else "",
            "members": members,
        },
    )


@login_required
def me(request):
    page = selectors.my_page(user=request.user)
    if page is None:
        raise Http404(_("Akun Anda tidak terhubung dengan data pendamping."))
    form = CorrectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        reason = data.pop("reason")
        created = _try(
            request,
            services.request_submit,
            _("Permintaan koreksi dikirim ke operator."),
            actor=request.user,
            kind=Request.Kind.DATA_CORRECTION,
            person=page.person,
            payload=data,
            reason=reason,
        )
        if created:
            return redirect("collaboration:me")
    return render(request, "collaboration/me.html", {"page": page, "form": form})


@login_required
def referral_dashboard(request):
    by = "province" if request.GET.get("per") == "provinsi" else "regency"
    return render(
        request,
        "collaboration/referral_stats.html",
        {"rows": selectors.referral_stats(user=request.user, by=by), "by": by},
    )


# --- receiving units (other agencies) ----------------------------------------------------------


@login_required
def unit_list(request):
    access.require(
        collab_access.can_manage_units(request.user),
        _("Peran Anda tidak dapat mengelola unit penerima rujukan."),
    )
    units = collab_access.units_visible(request.user).order_by("regency_id", "name")
    return render(request, "collaboration/unit_list.html", {"units": units})


def _unit_regencies(user):
    qs = Regency.objects.order_by("pk")
    if user.scope_regency_id:
        return qs.filter(pk=user.scope_regency_id)
    if user.scope_province_id:
        return qs.filter(province_id=user.scope_province_id)
    return qs


@login_required
def unit_edit(request, uid=None):
    access.require(
        collab_access.can_manage_units(request.user),
        _("Peran Anda tidak dapat mengelola unit penerima rujukan."),
    )
    unit = collab_access.unit_get(request.user, uid) if uid else None
    initial = (
        {
            "name": unit.name,
            "agency_type": unit.agency_type,
            "regency_id": unit.regency_id,
            "email": unit.email,
            "is_active": unit.is_active,
        }
        if unit
        else {"regency_id": request.user.scope_regency_id}
    )
    form = ReceivingUnitForm(
        request.POST or None, initial=initial, regencies=_unit_regencies(request.user)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.receiving_unit_save(actor=request.user, data=form.cleaned_data, unit=unit)
        except ValidationError as error:
            _onto_form(form, error)
        else:
            messages.success(request, _("Unit penerima disimpan."))
            return redirect("collaboration:unit-list")
    return render(request, "collaboration/unit_form.html", {"form": form, "unit": unit})


def referral_unit_answer(request, token):
    """A receiving unit's answer through its e-mailed link: no account, the signed token is the
    key. A used, expired or altered link says so (status 410/400), nothing else is shown."""
    try:
        referral = services.unit_link_referral(token)
    except ValidationError as error:
        return render(
            request,
            "collaboration/referral_unit_answer.html",
            {"problem": _errors(error)},
            status=400 if error.code == "invalid" else 410,
        )
    problem = services.unit_link_problem(referral)
    error = ""
    if request.method == "POST" and not problem:
        try:
            referral = services.referral_unit_answer(
                token=token,
                accept=request.POST.get("answer") == "terima",
                note=request.POST.get("note", ""),
            )
        except ValidationError as invalid:
            error = _errors(invalid)
        else:
            return render(
                request,
                "collaboration/referral_unit_answer.html",
                {"referral": referral, "done": True},
            )
    return render(
        request,
        "collaboration/referral_unit_answer.html",
        {"referral": referral, "problem": problem, "error": error},
        status=410 if problem else 200,
    )
