from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import throttle
from accounts.models import AuditEntry
from accounts.requests import SignedInRequest
from accounts.selectors import api_token_get_own, api_token_list, audit_list
from accounts.services import (
    TokenRevocation,
    api_token_revoke,
    api_tokens_revoke_all,
    user_password_change,
)
from satupintu.keyset import seek_page


def too_many(request: HttpRequest, wait: int) -> HttpResponse:
    """The 429 page: what happened and how long to wait (with Retry-After)."""
    response = render(request, "429.html", {"message": throttle.message(wait)}, status=429)
    response["Retry-After"] = str(wait)
    return response


class SignInView(auth_views.LoginView):
    """Django's sign-in, with wrong passwords counted per account and per address: past the
    limit the password is not checked at all until the window ends (accounts/throttle.py)."""

    template_name = "accounts/login.html"

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        username = request.POST.get("username", "")
        wait = throttle.sign_in_blocked(request, username)
        if wait:
            return too_many(request, wait)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        throttle.sign_in_succeeded(self.request, form.get_user().get_username())
        return super().form_valid(form)

    def form_invalid(self, form: AuthenticationForm) -> HttpResponse:
        throttle.sign_in_failed(self.request, self.request.POST.get("username", ""))
        return super().form_invalid(form)


@login_required
def audit_browse(request: SignedInRequest) -> HttpResponse:
    params = {k: request.GET.get(k, "") for k in ("action", "actor", "object_type")}
    entries = audit_list(user=request.user, **params)
    # Newest first by id (the chain's own order): a page is an index range, however long the
    # log grows (every read of personal data adds to it).
    try:
        page = seek_page(entries, order=("-pk",), cursor=request.GET.get("cursor"), size=100)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        page = seek_page(entries, order=("-pk",), cursor=None, size=100)
    return render(
        request,
        "accounts/audit_list.html",
        {
            "page": page,
            "params": params,
            "querystring": urlencode({k: v for k, v in params.items() if v}),
            "actions": AuditEntry.Action.choices,
        },
    )


@login_required
def account_tokens(request: SignedInRequest) -> HttpResponse:
    """The holder's API tokens, with a button to end each (or all)."""
    return render(
        request,
        "accounts/account_tokens.html",
        {"tokens": api_token_list(user=request.user)[:100]},
    )


@login_required
@require_POST
def account_token_revoke(request: SignedInRequest) -> HttpResponse:
    which = request.POST.get("token", "")
    if which == "semua":
        count = api_tokens_revoke_all(
            user=request.user, actor=request.user, reason=TokenRevocation.BY_HOLDER
        )
        messages.success(request, _("%(n)s token dicabut.") % {"n": count})
        return redirect("account-tokens")
    token = (
        api_token_get_own(user=request.user, token_id=int(which))
        if which.isdigit() and len(which) <= 18
        else None
    )
    if token is None:
        messages.error(request, _("Token tidak ditemukan; pilih token dari daftar."))
    elif api_token_revoke(token=token, actor=request.user, reason=TokenRevocation.BY_HOLDER):
        messages.success(request, _("Token %(prefix)s… dicabut.") % {"prefix": token.prefix})
    else:
        messages.info(
            request, _("Token %(prefix)s… sudah tidak berlaku.") % {"prefix": token.prefix}
        )
    return redirect("account-tokens")


@login_required
def account_password(request: SignedInRequest) -> HttpResponse:
    """Change one's own password; every API token issued under the old one ends."""
    form = PasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        user_password_change(
            user=request.user, new_password=form.cleaned_data["new_password1"], actor=request.user
        )
        update_session_auth_hash(request, request.user)
        messages.success(
            request, _("Kata sandi diubah. Semua token API lama dicabut; minta token baru.")
        )
        return redirect("account-tokens")
    return render(request, "accounts/account_password.html", {"form": form})
