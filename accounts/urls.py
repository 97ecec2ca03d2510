from django.contrib.auth import views as auth_views
from django.urls import path

from accounts import views

urlpatterns = [
    path("masuk/", views.SignInView.as_view(), name="login"),
    path("keluar/", auth_views.LogoutView.as_view(), name="logout"),
    path("audit/", views.audit_browse, name="accounts-audit-list"),
    path("akun/token/", views.account_tokens, name="account-tokens"),
    path("akun/token/cabut/", views.account_token_revoke, name="account-token-revoke"),
    path("akun/kata-sandi/", views.account_password, name="account-password"),
]
