"""Logbook pages. Views only translate: parse, ask access, call one service or selector, render."""

import datetime as dt
import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from collaboration import access as collab_access
from collaboration import services as collaboration
from collaboration.models import Request
from distribution import selectors as dist
from logbook import access, selectors, services
from logbook.forms import EntryForm
from regions.models import Village
from registry import access as registry_access

# The service worker's cache name: bump it when the shell (the page's markup or assets) changes.
SW_VERSION = "kegiatan-v1"


def _month(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(f"{value}-01") if value else None
    except ValueError:
        return None


def _require_facilitator(user) -> None:
    if not access.is_facilitator(user):
        raise PermissionDenied(_("Catatan kegiatan diisi oleh pendamping sendiri."))


def _refused(request, error) -> None:
    if isinstance(error, ValidationError):
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.error(request, str(error))


@login_required
def home(request):
    user = request.user
    if access.is_facilitator(user):
        data = selectors.facilitator_home(user=user, month=_month(request.GET.get("bulan")))
        data["form"] = EntryForm(initial={"date": data["today"]})
        return render(request, "logbook/home.html", data)
    if access.is_coordinator(user):
        return redirect("logbook:review")
    try:
        dist.scope_for(user)
    except PermissionDenied as error:
        raise PermissionDenied(
            _("Catatan kegiatan diisi pendamping dan ditinjau koordinatornya.")
        ) from error
    return redirect("logbook:workload")


@login_required
@require_POST
def entry_create(request):
    """The form without JavaScript; with it, logbook.js sends through the API instead."""
    _require_facilitator(request.user)
    form = EntryForm(request.POST, request.FILES)
    if not form.is_valid():
        for name, errors in form.errors.items():
            label = form.fields[name].label if name in form.fields else ""
            messages.error(request, f"{label}: {' '.join(errors)}")
        return redirect("logbook:home")
    data = form.cleaned_data
    engagement = access.own_engagements(request.user).filter(uid=data["engagement"]).first()
    if engagement is None:
        raise Http404(_("Penugasan tidak ditemukan."))
    try:
        entry, created = services.entry_create(
            actor=request.user,
            engagement=engagement,
            date=data["date"],
            village=Village.objects.filter(pk=data["village"]).first(),
            activity_type=engagement.programme.activity_types.filter(
                pk=data["activity_type"]
            ).first(),
            clients_served=data["clients_served"],
            duration_minutes=data["duration_minutes"],
            note=data["note"],
            beneficiary_names=data["beneficiary_names"],
            referral_uid=data["referral"],
            attachment=data["attachment"],
            uid=data["uid"],
        )
    except (ValidationError, PermissionDenied) as error:
        _refused(request, error)
        return redirect("logbook:home")
    messages.success(
        request, _("Kegiatan dicatat.") if created else _("Kegiatan ini sudah tercatat.")
    )
    return redirect(f"{reverse('logbook:home')}?bulan={entry.month:%Y-%m}")


@login_required
@require_POST
def entry_delete(request, uid):
    _require_facilitator(request.user)
    entry = access.entry_get(request.user, uid)
    try:
        services.entry_delete(actor=request.user, entry=entry)
    except (ValidationError, PermissionDenied) as error:
        _refused(request, error)
    else:
        messages.success(request, _("Catatan kegiatan dihapus."))
    return redirect(f"{reverse('logbook:home')}?bulan={entry.month:%Y-%m}")


@login_required
def attachment(request, uid):
    if not (access.is_facilitator(request.user) or access.is_coordinator(request.user)):
        raise PermissionDenied(_("Lampiran hanya untuk pendamping dan koordinatornya."))
    entry = access.entry_get(request.user, uid)
    if not entry.attachment:
        raise Http404(_("Catatan ini tanpa lampiran."))
    content_type = (
        "application/pdf"
        if entry.attachment_kind == "pdf"
        else "image/" + (entry.attachment_kind.split("-")[-1].replace("jpg", "jpeg"))
    )
    response = HttpResponse(entry.attachment.read(), content_type=content_type)
    response["Content-Disposition"] = "inline"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_POST
def report_submit(request):
    _require_facilitator(request.user)
    engagement = (
        access.own_engagements(request.user)
        .filter(uid=registry_access.uuid_or_none(request.POST.get("engagement")))
        .first()
    )
    month = _month(request.POST.get("month"))
    if engagement is None or month is None:
        raise Http404(_("Penugasan atau bulan tidak ditemukan."))
    try:
        report = services.report_submit(actor=request.user, engagement=engagement, month=month)
    except (ValidationError, PermissionDenied) as error:
        _refused(request, error)
        return redirect(f"{reverse('logbook:home')}?bulan={month:%Y-%m}")
    messages.success(request, _("Laporan bulan ini diajukan ke koordinator."))
    return redirect("logbook:report-detail", report.uid)


@login_required
def review(request):
    if not access.is_coordinator(request.user):
        raise PermissionDenied(_("Laporan kegiatan ditinjau oleh koordinator pendamping."))
    return render(
        request, "logbook/review.html", {"reports": selectors.review_queue(user=request.user)}
    )


@login_required
def report_detail(request, uid):
    report = access.report_get(request.user, uid)
    return render(
        request,
        "logbook/report_detail.html",
        selectors.report_detail(user=request.user, report=report),
    )


@login_required
@require_POST
def report_action(request, uid):
    report = access.report_get(request.user, uid)
    if not access.can_decide(request.user, report):
        raise PermissionDenied(_("Laporan ini ditinjau oleh koordinator wilayah dan klasternya."))
    action = request.POST.get("action", "")
    try:
        if action == "setujui":
            services.report_approve(
                actor=request.user, report=report, note=request.POST.get("comment", "")
            )
            messages.success(request, _("Laporan disetujui; beban kasus bulan itu tercatat."))
        elif action == "kembalikan":
            services.report_return(
                actor=request.user, report=report, comment=request.POST.get("comment", "")
            )
            messages.success(request, _("Laporan dikembalikan kepada pendamping."))
        else:
            raise Http404(_("Tindakan tidak dikenal."))
    except (ValidationError, PermissionDenied) as error:
        _refused(request, error)
    return redirect("logbook:report-detail", report.uid)


def _page(value) -> int:
    try:
        return max(1, int(value))
    except (TypeError, ValueError):
        return 1


@login_required
def workload(request):
    data = selectors.workload_people(
        user=request.user,
        code=request.GET.get("region", "").strip(),
        cluster=request.GET.get("cluster", "").strip(),
        state=request.GET.get("state", "").strip(),
        page=_page(request.GET.get("page")),
    )
    data["cluster"] = request.GET.get("cluster", "")
    data["all_programmes"] = dist.programmes_in(dist.scope_for(request.user))
    return render(request, "logbook/workload.html", data)


@login_required
def redeployment(request, code: str):
    scope = dist.scope_for(request.user)
    programmes = [p for p in dist.programmes_in(scope) if p.pk in dist.current_standards()]
    if not programmes:
        raise Http404(_("Belum ada standar kebutuhan yang berlaku."))
    cluster = request.GET.get("cluster") or programmes[0].slug
    data = selectors.redeployment_named(user=request.user, code=code, cluster=cluster)

    for s in data["suggestions"]:
        s["can_propose"] = request.user.role in collab_access.SUBMIT and (
            collab_access.can_submit_for(
                request.user, engagement=s["engagement"], person=s["engagement"].person
            )
        )
    data.update({"programmes": programmes, "cluster": cluster, "today": timezone.localdate()})
    return render(request, "logbook/redeployment.html", data)


@login_required
@require_POST
def transfer_propose(request):
    """One click on a suggestion: a transfer request in collaboration's maker-checker flow."""
    engagement = registry_access.engagement_get(request.user, request.POST.get("engagement"))
    if request.user.role not in collab_access.SUBMIT or not collab_access.can_submit_for(
        request.user, engagement=engagement, person=engagement.person
    ):
        raise PermissionDenied(_("Peran Anda tidak mengajukan mutasi untuk penugasan ini."))
    district = request.POST.get("district", "").strip()
    back = request.POST.get("back") or reverse("logbook:workload")
    if not back.startswith("/"):
        back = reverse("logbook:workload")
    try:
        effective = dt.date.fromisoformat(request.POST.get("effective_date", ""))
    except ValueError:
        effective = None
    try:
        created = collaboration.request_submit(
            actor=request.user,
            kind=Request.Kind.TRANSFER,
            person=engagement.person,
            engagement=engagement,
            payload={
                "regency_id": district[:5],
                "district_id": district,
                "sk_number": request.POST.get("sk_number", "").strip(),
            },
            effective_date=effective,
            reason=request.POST.get("reason", "").strip(),
            evidence={
                "redistribusi": {
                    "dari": engagement.district_id,
                    "ke": district,
                    "beban_kasus": request.POST.get("cases", ""),
                    "jarak_hierarki": request.POST.get("distance", ""),
                }
            },
        )
    except (ValidationError, PermissionDenied) as error:
        _refused(request, error)
        return redirect(back)
    messages.success(request, _("Permohonan mutasi diajukan; menunggu verifikasi."))
    return redirect("collaboration:request-detail", created.uid)


# --- installable web app ------------------------------------------------------------------


@never_cache
def manifest(request):
    body = {
        "name": "Satu Pintu — Catatan kegiatan",
        "short_name": "Kegiatan",
        "lang": "id",
        "start_url": reverse("logbook:home"),
        "scope": reverse("logbook:home"),
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#1f5f8b",
        "icons": [
            {"src": static("logbook/icon-192.png"), "sizes": "192x192", "type": "image/png"},
            {"src": static("logbook/icon-512.png"), "sizes": "512x512", "type": "image/png"},
        ],
    }
    return HttpResponse(json.dumps(body), content_type="application/manifest+json")


@never_cache
def service_worker(request):
    """Served under /kegiatan/ so that its scope is the logbook; it names the shipped assets
    it keeps (their static URLs, hashed in production)."""
    return render(
        request,
        "logbook/sw.js",
        {
            "assets": [
                static("css/satupintu.css"),
                static("logbook/logbook.css"),
                static("logbook/logbook.js"),
                static("vendor/htmx/htmx.min.js"),
                static("logbook/icon-192.png"),
            ],
            "version": SW_VERSION,
        },
        content_type="application/javascript",
    )
