"""Regional index, special-area list and adoption pages."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from accounts import access as accounts_access
from incentives import access, selectors, services
from incentives.forms import AdoptionForm, DecisionForm, TableUploadForm
from incentives.models import Purpose
from incentives.tables import read_table
from incentives.views.common import form_errors, require_view


def _table_upload(request, *, load, success: str, detail_url: str, template: str, context: dict):
    """A page listing uploaded tables, whose form loads a new one (indexes, special areas)."""
    require_view(request.user)
    form = TableUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        accounts_access.require(access.can_manage_standard(request.user))
        if form.is_valid():
            data = form.cleaned_data
            try:
                created = load(data, read_table(data["file"], data["file"].name))
            except (ValidationError, ValueError) as error:
                form_errors(
                    request,
                    error if isinstance(error, ValidationError) else ValidationError(str(error)),
                )
            else:
                messages.success(request, success)
                return redirect(detail_url, uid=created.uid)
    return render(
        request,
        template,
        {**context, "form": form, "can_manage": access.can_manage_standard(request.user)},
    )


@login_required
def index_list(request):
    return _table_upload(
        request,
        load=lambda data, rows: services.regional_index_load(
            actor=request.user,
            name=data["name"],
            year=data["year"],
            source=data["source"],
            method=data["method"],
            rows=rows,
            is_example=data["is_example"],
        ),
        success=gettext("Indeks dimuat sebagai draf."),
        detail_url="incentives:index-detail",
        template="incentives/index_list.html",
        context={"indexes": selectors.index_list()},
    )


@login_required
def index_detail(request, uid):
    require_view(request.user)
    index = selectors.index_detail(uid=uid)
    return render(
        request,
        "incentives/index_detail.html",
        {
            "index": index,
            "values": selectors.index_values(index=index),
            "decision_form": DecisionForm(),
            "can_manage": access.can_manage_standard(request.user)
            and index.purpose == Purpose.STANDARD,
        },
    )


@login_required
@require_POST
def index_state(request, uid, action):
    accounts_access.require(access.can_manage_standard(request.user))
    index = selectors.index_detail(uid=uid)
    try:
        if action == "sepakati":
            form = DecisionForm(request.POST)
            if not form.is_valid():
                raise ValidationError(gettext("Sebutkan nomor keputusan atau berita acara."))
            services.regional_index_agree(
                actor=request.user, index=index, decision_ref=form.cleaned_data["decision_ref"]
            )
        elif action == "berlakukan":
            services.regional_index_enact(actor=request.user, index=index)
        else:
            raise Http404
    except ValidationError as error:
        form_errors(request, error)
    else:
        messages.success(request, gettext("Status indeks diperbarui."))
    return redirect("incentives:index-detail", uid=index.uid)


@login_required
def area_list(request):
    return _table_upload(
        request,
        load=lambda data, rows: services.area_list_load(
            actor=request.user,
            name=data["name"],
            year=data["year"],
            source=data["source"],
            rows=rows,
            is_example=data["is_example"],
        ),
        success=gettext("Daftar wilayah khusus dimuat."),
        detail_url="incentives:area-detail",
        template="incentives/area_list.html",
        context={"lists": selectors.area_lists()},
    )


@login_required
def area_detail(request, uid):
    require_view(request.user)
    area_list = selectors.area_list_detail(uid=uid)
    return render(
        request,
        "incentives/area_detail.html",
        {"area_list": area_list, "areas": selectors.area_designations(area_list=area_list)},
    )


@login_required
def adoption_list(request):
    require_view(request.user)
    form = AdoptionForm(request.POST or None)
    if request.method == "POST":
        accounts_access.require(access.can_manage_standard(request.user))
        if form.is_valid():
            try:
                services.adoption_record(actor=request.user, **form.cleaned_data)
            except ValidationError as error:
                form_errors(request, error)
            else:
                messages.success(request, gettext("Penerapan standar dicatat."))
                return redirect("incentives:adoption-list")
    return render(
        request,
        "incentives/adoption_list.html",
        {
            "adoptions": selectors.adoption_list(),
            "form": form,
            "can_manage": access.can_manage_standard(request.user),
        },
    )
