"""Signed credentials: genuine ones verify; one changed byte, expiry or revocation do not."""

import datetime as dt
import io
import json
import os
import stat

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from competency import credentials, services
from competency.credentials import EXPIRED, OK, REVOKED, TAMPERED


@pytest.fixture
def certificate(person, certify):
    return certify(person, [1, 2, 3], level=3)


@pytest.fixture
def exported(actor, certificate, tmp_path):
    out = tmp_path / "ekspor"
    call_command("export_credentials", output=str(out), stdout=io.StringIO())
    files = sorted(
        p
        for p in out.glob("*.json")
        if p.name not in {"jwks.json", "daftar-status-pencabutan.json"}
    )
    assert len(files) == 1
    return {
        "credential": files[0],
        "status": out / "daftar-status-pencabutan.json",
        "jwks": out / "jwks.json",
    }


def test_credential_follows_open_badges_3(certificate):
    token = services.credential_for(certificate)
    result = credentials.verify(token.encode())

    vc = result.credential
    assert result.ok, result.reasons
    assert vc["@context"] == [credentials.VC_CONTEXT, credentials.OB_CONTEXT]
    assert vc["type"] == ["VerifiableCredential", "AchievementCredential"]
    assert vc["validUntil"].startswith(certificate.valid_until.isoformat())
    assert vc["credentialStatus"]["type"] == "BitstringStatusListEntry"
    assert vc["credentialStatus"]["statusListIndex"] == str(certificate.status_index)
    assert vc["credentialSubject"]["name"] == "Siti Aminah"
    assert certificate.person.nik not in json.dumps(vc)  # only a salted hash of the NIK
    assert {a["targetCode"] for a in vc["credentialSubject"]["achievement"]["alignment"]} >= {
        "Q.990000.001.01",
        "KKNI-3",
    }
    # every named context ships with the project
    for url in vc["@context"]:
        assert credentials.context_document(url)["@context"]


def test_key_is_generated_once_and_private(certificate, settings):
    services.credential_for(certificate)
    path = settings.COMPETENCY_SIGNING_KEY_PATH
    first = path.read_bytes()
    services.credential_for(certificate)

    assert path.read_bytes() == first
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600


def test_exported_credential_verifies_offline(exported):
    out = io.StringIO()
    call_command(
        "verify_credential", str(exported["credential"]), jwks=str(exported["jwks"]), stdout=out
    )

    text = out.getvalue()
    assert "ASLI dan BERLAKU" in text
    assert "TIDAK diperiksa" in text  # no status list given: said so


def test_one_changed_byte_anywhere_fails(exported):
    data = exported["credential"].read_bytes()
    keys = credentials.jwks()  # read once: this loop verifies a few thousand times
    assert credentials.verify(data, jwks_doc=keys).ok

    for i in range(len(data)):
        changed = bytearray(data)
        changed[i] = ord("B") if data[i] == ord("A") else ord("A")
        result = credentials.verify(bytes(changed), jwks_doc=keys)
        assert result.code == TAMPERED, f"byte {i} changed and the credential still verified"


def test_tampered_file_fails_the_command(exported, tmp_path):
    data = bytearray(exported["credential"].read_bytes())
    middle = data.index(b".") + 10  # inside the payload
    data[middle] = ord("A") if data[middle] != ord("A") else ord("B")
    bad = tmp_path / "diubah.json"
    bad.write_bytes(bytes(data))

    with pytest.raises(CommandError) as error:
        call_command("verify_credential", str(bad), stdout=io.StringIO())
    assert error.value.returncode == TAMPERED
    assert "tidak asli" in str(error.value)


def test_expired_credential_fails(exported):
    later = timezone.now() + dt.timedelta(days=4 * 365)
    result = credentials.verify(exported["credential"].read_bytes(), now=later)

    assert result.code == EXPIRED
    assert "kedaluwarsa" in result.reasons[0]


def test_revoked_credential_fails_with_the_status_list(actor, certificate, exported, tmp_path):
    before = credentials.verify(
        exported["credential"].read_bytes(), status_list=exported["status"].read_bytes()
    )
    assert before.code == OK and before.revocation_checked

    services.certificate_revoke(actor=actor, certificate=certificate, reason="Dokumen palsu")
    out = tmp_path / "sesudah"
    call_command("export_credentials", output=str(out), stdout=io.StringIO())
    status = out / "daftar-status-pencabutan.json"

    with pytest.raises(CommandError) as error:
        call_command(
            "verify_credential",
            str(exported["credential"]),
            status_list=str(status),
            stdout=io.StringIO(),
        )
    assert error.value.returncode == REVOKED
    assert "DICABUT" in str(error.value)
    # the revoked certificate is no longer exported as valid
    assert not [p for p in out.glob("*.json") if p.name not in {"jwks.json", status.name}]


def test_a_foreign_key_is_refused(exported):
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    other = {"keys": [credentials.public_jwk(Ed25519PrivateKey.generate().public_key())]}
    result = credentials.verify(exported["credential"].read_bytes(), jwks_doc=other)

    assert result.code == TAMPERED


def test_status_list_sets_the_right_bit():
    encoded, length = credentials.encode_status_list([0, 9, 131_071])
    bits = credentials.decode_status_list(encoded)

    assert length == 131_072 and len(bits) == 16_384
    assert bits[0] == 0x80 and bits[1] == 0x40 and bits[-1] == 0x01
