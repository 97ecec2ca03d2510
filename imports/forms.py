from typing import Any, cast

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from imports.models import MappingProfile
from registry import access as registry_access
from registry.models import Programme
from satupintu.workbooks import WorkbookRefused, upload_check

ACCEPTED = ".xlsx,.xlsm,.xls,.ods,.csv,.txt"


class UploadForm(forms.Form):
    programme = forms.ModelChoiceField(
        label=_("Klaster/program"),
        queryset=Programme.objects.none(),
        help_text=_("Berlaku untuk seluruh berkas."),
    )
    file = forms.FileField(
        label=_("Berkas"),
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPTED}),
        help_text=_("Excel (.xlsx, .xls), OpenDocument (.ods) atau CSV. Semua lembar dibaca."),
    )
    profile = forms.ModelChoiceField(
        label=_("Profil pemetaan kolom"),
        queryset=MappingProfile.objects.all(),
        required=False,
        help_text=_("Opsional: pemetaan yang pernah disimpan untuk berkas dengan tata letak sama."),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        programme = cast("forms.ModelChoiceField[Programme]", self.fields["programme"])
        programme.queryset = registry_access.programmes_writable(user)

    def clean_file(self) -> "UploadedFile[bytes]":
        upload: UploadedFile[bytes] = self.cleaned_data["file"]
        # Refused here, before the file is stored or any reader unpacks it (zip bombs,
        # entity bombs, passwords, macros, external links, size: satupintu.workbooks).
        try:
            assert (
                upload.file is not None and upload.name is not None
            )  # FileField.clean: a named file
            upload_check(upload.file, name=upload.name)
        except WorkbookRefused as exc:
            raise forms.ValidationError(str(exc)) from exc
        return upload


class ProfileForm(forms.Form):
    sheet = forms.CharField(widget=forms.HiddenInput)
    name = forms.CharField(label=_("Nama profil"), max_length=100)


class StartForm(forms.Form):
    full_roster = forms.BooleanField(
        label=_(
            "Berkas ini daftar lengkap: akhiri penugasan klaster ini (dalam cakupan saya) yang "
            "tidak tercantum"
        ),
        required=False,
    )
    confirm_ending = forms.BooleanField(
        label=_("Saya sudah memeriksa daftar penugasan yang akan diakhiri"), required=False
    )
