"""Framework pages. The catalogue is public (no personal data); the rest is for national
administrators. Views only translate: parse, ask framework.access, call a service/selector.
"""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from framework import selectors, services
from framework.access import can_manage_framework, version_get
from framework.forms import CopyForm, ImportForm, RuleForm
from framework.harmonize import harmonisation_preview, version_in_force
from framework.interchange import document_to_xlsx, document_to_yaml, framework_document
from framework.models import FrameworkVersion
from jobs.services import job_start
from registry.models import Programme


def manager_required(view):
    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not can_manage_framework(request.user):
            raise PermissionDenied(_("Hanya administrator nasional yang boleh mengelola kerangka."))
        return view(request, *args, **kwargs)

    return wrapped


def _errors(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def _context(request, **extra):
    version = extra.get("version")
    return {
        "can_manage": can_manage_framework(request.user),
        "version_query": f"?versi={version.pk}" if version else "",
        **extra,
    }


def index(request):
    version = selectors.catalogue_version(user=request.user, version_id=request.GET.get("versi"))
    levels = selectors.level_list(version=version) if version else []
    return render(
        request, "framework/index.html", _context(request, version=version, levels=levels)
    )


def package_list(request):
    version = selectors.catalogue_version(user=request.user, version_id=request.GET.get("versi"))
    packages = selectors.package_list(version=version) if version else []
    return render(
        request,
        "framework/package_list.html",
        _context(request, version=version, packages=packages),
    )


def unit_list(request):
    version = selectors.catalogue_version(user=request.user, version_id=request.GET.get("versi"))
    q = (request.GET.get("q") or "").strip()[:100]
    units = selectors.unit_list(version=version, q=q) if version else []
    return render(
        request, "framework/unit_list.html", _context(request, version=version, units=units, q=q)
    )


def unit_detail(request, code):
    version = selectors.catalogue_version(user=request.user, version_id=request.GET.get("versi"))
    if version is None:
        return redirect("framework:index")
    unit = selectors.unit_get(version=version, code=code)
    return render(
        request, "framework/unit_detail.html", _context(request, version=version, unit=unit)
    )


def rule_list(request):
    version = selectors.catalogue_version(user=request.user, version_id=request.GET.get("versi"))
    scope = (request.GET.get("klaster") or "").strip()
    rules = selectors.rule_list(version=version, scope=scope) if version else []
    return render(
        request,
        "framework/rule_list.html",
        _context(
            request,
            version=version,
            rules=rules,
            scope=scope,
            programmes=Programme.objects.order_by("kind", "name"),
        ),
    )


def version_list(request):
    return render(
        request,
        "framework/version_list.html",
        # The shared header names the version in force (never "nothing loaded" while one is).
        _context(
            request,
            version=selectors.catalogue_version(user=request.user),
            versions=selectors.version_list(user=request.user),
        ),
    )


def version_detail(request, pk):
    version = version_get(request.user, pk)
    in_force = version_in_force()
    return render(
        request,
        "framework/version_detail.html",
        _context(
            request,
            version=version,
            in_force=in_force,
            counts={
                "levels": version.levels.count(),
                "units": version.units.count(),
                "packages": version.packages.count(),
                "rules": version.rules.count(),
            },
            copy_form=CopyForm(initial={"name": _("%(name)s (draf)") % {"name": version.name}}),
        ),
    )


def version_export(request, pk, fmt):
    version = version_get(request.user, pk)
    document = framework_document(version)
    name = slugify(version.name) or f"kerangka-{version.pk}"
    if fmt == "yaml":
        response = HttpResponse(document_to_yaml(document), content_type="application/yaml")
    else:
        response = HttpResponse(
            document_to_xlsx(document),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


@manager_required
def version_import(request):
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            version = services.framework_version_import_file(
                actor=request.user,
                filename=upload.name,
                data=upload.read(),
                name=form.cleaned_data["name"] or None,
            )
        except ValidationError as error:
            _errors(request, error)
        else:
            messages.success(
                request, _("Versi «%(name)s» dimuat sebagai draf.") % {"name": version.name}
            )
            return redirect("framework:version-detail", version.pk)
    return render(request, "framework/version_import.html", _context(request, form=form))


@manager_required
@require_POST
def version_copy(request, pk):
    version = version_get(request.user, pk)
    form = CopyForm(request.POST)
    if form.is_valid():
        try:
            draft = services.framework_version_copy(
                actor=request.user, version=version, name=form.cleaned_data["name"]
            )
        except ValidationError as error:
            _errors(request, error)
        else:
            messages.success(request, _("Draf «%(name)s» dibuat.") % {"name": draft.name})
            return redirect("framework:version-detail", draft.pk)
    return redirect("framework:version-detail", version.pk)


@manager_required
@require_POST
def version_agree(request, pk):
    version = version_get(request.user, pk)
    try:
        services.framework_version_agree(
            actor=request.user, version=version, note=request.POST.get("note", "").strip()
        )
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(request, _("Versi disepakati; isinya tidak dapat diubah lagi."))
    return redirect("framework:version-detail", version.pk)


@manager_required
@require_POST
def version_delete(request, pk):
    version = version_get(request.user, pk)
    try:
        services.framework_version_delete(actor=request.user, version=version)
    except ValidationError as error:
        _errors(request, error)
        return redirect("framework:version-detail", version.pk)
    messages.success(request, _("Draf dihapus."))
    return redirect("framework:version-list")


@manager_required
def version_preview(request, pk):
    """The diff against the version in force and the effect on every engagement."""
    version = version_get(request.user, pk)
    in_force = version_in_force()
    diff = selectors.version_diff(old=in_force, new=version) if in_force else []
    try:
        run = harmonisation_preview(actor=request.user, version=version)
    except ValidationError as error:
        _errors(request, error)
        run = None
    return render(
        request,
        "framework/version_preview.html",
        _context(request, version=version, in_force=in_force, diff=diff, run=run),
    )


@manager_required
@require_POST
def version_activate(request, pk):
    version = version_get(request.user, pk)
    if version.status != FrameworkVersion.Status.AGREED:
        messages.error(request, _("Hanya versi yang sudah disepakati yang dapat diberlakukan."))
        return redirect("framework:version-detail", version.pk)
    job = job_start(
        kind="harmonize",
        title=_("Memberlakukan kerangka «%(name)s» dan harmonisasi") % {"name": version.name},
        owner=request.user,
        params={"version_id": version.pk, "activate": True},
    )
    return redirect("jobs:detail", job.uid)


@manager_required
@require_POST
def harmonize(request):
    if version_in_force() is None:
        messages.error(request, _("Belum ada versi kerangka yang berlaku."))
        return redirect("framework:version-list")
    job = job_start(
        kind="harmonize",
        title=_("Harmonisasi ulang semua penugasan"),
        owner=request.user,
        params={},
    )
    return redirect("jobs:detail", job.uid)


@manager_required
def unmatched(request):
    version = selectors.catalogue_version(user=request.user, version_id=request.GET.get("versi"))
    titles = selectors.unmatched_titles(user=request.user, version=version) if version else []
    return render(
        request, "framework/unmatched.html", _context(request, version=version, titles=titles)
    )


def _rule_data(form: RuleForm) -> dict:
    data = dict(form.cleaned_data)
    data["level_id"] = data.pop("level").pk
    return data


@manager_required
def rule_create(request):
    """New rule in a draft: the quick path from an unmatched title (?judul=…&klaster=…)."""
    try:
        version = (
            version_get(request.user, int(request.GET["versi"]))
            if request.GET.get("versi", "").isdigit()
            else services.framework_draft_for_edit(actor=request.user)
        )
    except ValidationError as error:
        _errors(request, error)
        return redirect("framework:version-list")
    if not version.is_editable:
        messages.error(request, _("Aturan hanya dapat ditambahkan pada versi draf."))
        return redirect("framework:version-detail", version.pk)
    initial = {
        "legacy_title": request.GET.get("judul", ""),
        "scope": request.GET.get("klaster", ""),
        "level": version.levels.filter(number=3).first(),
        "priority": 0,
    }
    form = RuleForm(request.POST or None, version=version, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.nomenclature_rule_create(
                actor=request.user,
                version=version,
                level=data["level"],
                legacy_title=data["legacy_title"],
                scope=data["scope"],
                min_education=data["min_education"],
                min_years=data["min_years"],
                min_certified_units=data["min_certified_units"],
                required_units=list(data["required_units"]),
                unified_title=data["unified_title"],
                regulation=data["regulation"],
                regulation_number=data["regulation_number"],
                article=data["article"],
                effective_date=data["effective_date"],
                priority=data["priority"],
                notes=data["notes"],
            )
        except ValidationError as error:
            _errors(request, error)
        else:
            messages.success(
                request,
                _(
                    "Aturan ditambahkan ke draf «%(name)s». Sepakati dan berlakukan draf agar "
                    "harmonisasi memakainya."
                )
                % {"name": version.name},
            )
            return redirect(f"{request.path}?versi={version.pk}&selesai=1")
    return render(
        request,
        "framework/rule_form.html",
        _context(request, version=version, form=form, rule=None),
    )


@manager_required
def rule_edit(request, pk):
    rule = selectors.rule_get(user=request.user, pk=pk)
    version = rule.version
    initial = {
        **{
            f: getattr(rule, f)
            for f in RuleForm.base_fields
            if f not in {"level", "required_units"}
        },
        "level": rule.level,
        "required_units": list(rule.required_units.all()),
    }
    form = RuleForm(request.POST or None, version=version, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.nomenclature_rule_update(actor=request.user, rule=rule, data=_rule_data(form))
        except ValidationError as error:
            _errors(request, error)
        else:
            messages.success(request, _("Aturan diperbarui."))
            return redirect(f"{reverse('framework:rule-list')}?versi={version.pk}")
    return render(
        request,
        "framework/rule_form.html",
        _context(request, version=version, form=form, rule=rule),
    )


@manager_required
@require_POST
def rule_delete(request, pk):
    rule = selectors.rule_get(user=request.user, pk=pk)
    version = rule.version
    try:
        services.nomenclature_rule_delete(actor=request.user, rule=rule)
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(request, _("Aturan dihapus."))
    return redirect(f"{reverse('framework:rule-list')}?versi={version.pk}")
