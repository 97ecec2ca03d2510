"""Verifiable certificates: Open Badges 3.0 AchievementCredentials (W3C VC 2.0) secured as
VC-JWT with EdDSA (Ed25519), a BitstringStatusList for revocation, and offline verification.

Securing: the JWT's payload is the credential itself (VC-JOSE-COSE: header ``alg: EdDSA``,
``typ: vc+jwt``, ``cty: vc``, ``kid``: the key's RFC 7638 thumbprint). Exported files hold
the JWT inside a VC 2.0 ``EnvelopedVerifiableCredential`` (``id: data:application/vc+jwt,…``).
JSON-LD contexts are only *named* in the credential; their documents ship in
``competency/data/contexts`` and verification accepts only those names, so nothing is ever
fetched (JSON-LD processing is not needed for a JWT-secured credential).

The signing key (operations):

- ``COMPETENCY_SIGNING_KEY_PATH`` (setting; default ``var/keys/credential-signing-ed25519.pem``)
  is an Ed25519 private key in PKCS#8 PEM. It is generated on first use, written with mode
  0600, and must never be committed (``var/`` is git-ignored). Back it up: credentials signed
  with a lost key can no longer be verified against a newly generated one.
- The public key is published as a JWKS at ``/.well-known/jwks.json`` (and at
  ``/verifikasi/jwks.json``); ``verify_credential --jwks FILE`` uses such a file offline.
- To rotate, move the old key aside, let a new one be generated, re-export credentials, and
  keep publishing the old public JWK beside the new one (``COMPETENCY_EXTRA_JWKS_PATH``, a
  JWKS file whose keys are added to the published set) until the old credentials expire.

Status list: one list (purpose ``revocation``); bit *i* (left-most first, per the Bitstring
Status List spec) is 1 when the certificate with ``status_index`` *i* is revoked. Its length is
a multiple of 131,072 bits (16 KiB, the spec's minimum for group privacy).
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import gzip
import hashlib
import json
import os
import secrets
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings
from django.utils import timezone

CONTEXT_DIR = Path(__file__).resolve().parent / "data" / "contexts"
VC_CONTEXT = "https://www.w3.org/ns/credentials/v2"
OB_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
# URL -> shipped document. Verification refuses any other context: nothing is fetched.
CONTEXT_FILES = {
    VC_CONTEXT: "credentials-v2.jsonld",
    OB_CONTEXT: "ob-context-3.0.3.json",
}
ENVELOPE_PREFIX = "data:application/vc+jwt,"
STATUS_LIST_BLOCK = 131_072
STATUS_LIST_PATH = "status/pencabutan-1/"
JWT_TYPE = "vc+jwt"


# ---------------------------------------------------------------------------------------------
# Keys


def _key_path() -> Path:
    default = Path(settings.BASE_DIR) / "var" / "keys" / "credential-signing-ed25519.pem"
    return Path(getattr(settings, "COMPETENCY_SIGNING_KEY_PATH", "") or default)


def signing_key() -> Ed25519PrivateKey:
    """The issuer's private key, generated on first use (mode 0600, never overwritten)."""
    path = _key_path()
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        pem = Ed25519PrivateKey.generate().private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        try:
            # O_EXCL: when two processes start at once, the first key written wins.
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "wb") as fh:
                fh.write(pem)
    key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError(f"Kunci di {path} bukan kunci Ed25519.")
    return key


def _b64u(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _b64u_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def public_jwk(key: Ed25519PublicKey) -> dict[str, str]:
    x = _b64u(key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw))
    # RFC 7638: the thumbprint of the required members in lexicographic order.
    thumb = _b64u(
        hashlib.sha256(
            json.dumps({"crv": "Ed25519", "kty": "OKP", "x": x}, separators=(",", ":")).encode()
        ).digest()
    )
    return {"kty": "OKP", "crv": "Ed25519", "x": x, "kid": thumb, "use": "sig", "alg": "EdDSA"}


def jwks() -> dict[str, list[dict[str, str]]]:
    """The issuer's public keys as a JWKS (the current key first, then any retired ones)."""
    keys = [public_jwk(signing_key().public_key())]
    extra = getattr(settings, "COMPETENCY_EXTRA_JWKS_PATH", "")
    if extra and Path(extra).exists():
        keys += [k for k in json.loads(Path(extra).read_text())["keys"] if k not in keys]
    return {"keys": keys}


def _public_key_from_jwk(jwk: dict[str, Any]) -> Ed25519PublicKey:
    if jwk.get("kty") != "OKP" or jwk.get("crv") != "Ed25519":
        raise ValueError("Kunci publik bukan Ed25519 (OKP).")
    return Ed25519PublicKey.from_public_bytes(_b64u_decode(jwk["x"]))


# ---------------------------------------------------------------------------------------------
# Building credentials


def base_url() -> str:
    return getattr(settings, "COMPETENCY_PUBLIC_BASE_URL", "http://127.0.0.1:8000").rstrip("/")


def issuer_profile() -> dict[str, Any]:
    return {
        "id": f"{base_url()}/",
        "type": ["Profile"],
        "name": getattr(
            settings, "COMPETENCY_ISSUER_NAME", "Satu Pintu — Registri Pendamping Pembangunan"
        ),
        "url": f"{base_url()}/",
    }


def verification_url(public_id: str) -> str:
    return f"{base_url()}/verifikasi/{public_id}/"


def status_list_url() -> str:
    return f"{base_url()}/verifikasi/{STATUS_LIST_PATH}"


def _instant(day: dt.date, *, end: bool = False) -> str:
    """A day as an instant in Jakarta time (a certificate is valid through its last day)."""
    tz = timezone.get_default_timezone()
    moment = dt.datetime.combine(day, dt.time(23, 59, 59) if end else dt.time(0, 0), tzinfo=tz)
    return moment.isoformat()


def _identity_hash(nik: str, salt: str) -> str:
    return "sha256$" + hashlib.sha256(f"{nik}{salt}".encode()).hexdigest()


def certificate_credential(certificate, *, level_title: str = "") -> dict[str, Any]:
    """The certificate as an unsigned OB 3.0 AchievementCredential (VC 2.0 data model).

    The holder is identified by name and by a salted hash of the NIK (OB IdentityObject), so
    the NIK itself never leaves in the credential but a verifier who knows it can match it.
    """
    scheme, lsp, person = certificate.scheme, certificate.lsp, certificate.person
    base = base_url()
    units = list(certificate.units.all())
    salt = secrets.token_hex(8)
    alignment = [
        {
            "type": ["Alignment"],
            "targetType": "CFItem",
            "targetCode": u.unit_code,
            "targetName": u.unit_title or u.unit_code,
            "targetFramework": "SKKNI",
            "targetUrl": f"{base}/kerangka/unit/{u.unit_code}/",
        }
        for u in units
    ]
    if certificate.level:
        alignment.append(
            {
                "type": ["Alignment"],
                "targetType": "ceterms:Credential",
                "targetCode": f"KKNI-{certificate.level}",
                "targetName": f"KKNI jenjang {certificate.level} {level_title}".strip(),
                "targetFramework": "KKNI (Perpres 8/2012)",
                "targetUrl": f"{base}/kerangka/",
            }
        )
    index = certificate.status_index
    return {
        "@context": [VC_CONTEXT, OB_CONTEXT],
        "id": f"urn:uuid:{certificate.uid}",
        "type": ["VerifiableCredential", "AchievementCredential"],
        "name": f"Sertifikat Kompetensi: {scheme.name}",
        "issuer": issuer_profile(),
        "validFrom": _instant(certificate.issued_on),
        "validUntil": _instant(certificate.valid_until, end=True),
        "awardedDate": _instant(certificate.issued_on),
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "name": person.display_name,
            "identifier": [
                {
                    "type": "IdentityObject",
                    "identityType": "nationalIdentityNumber",
                    "hashed": True,
                    "identityHash": _identity_hash(person.nik, salt),
                    "salt": salt,
                }
            ],
            "achievement": {
                "id": f"{base}/verifikasi/skema/{lsp.pk}/{scheme.code}/",
                "type": ["Achievement"],
                "achievementType": "Certification",
                "name": scheme.name,
                "humanCode": scheme.code,
                "description": (
                    f"Sertifikat kompetensi skema {scheme.name} yang diterbitkan {lsp.name} "
                    f"({lsp.get_kind_display()}, lisensi BNSP {lsp.licence_number})."
                ),
                "criteria": {
                    "narrative": "Dinyatakan Kompeten (K) pada semua unit kompetensi skema: "
                    + ", ".join(u.unit_code for u in units)
                    + "."
                },
                "creator": {
                    "id": f"{base}/verifikasi/lsp/{lsp.pk}/",
                    "type": ["Profile"],
                    "name": lsp.name,
                },
                "alignment": alignment,
            },
        },
        "evidence": [
            {
                "id": verification_url(certificate.public_id),
                "type": ["Evidence"],
                "name": f"Nomor sertifikat {certificate.number}",
                "narrative": "Halaman verifikasi publik sertifikat ini.",
            }
        ],
        "credentialStatus": {
            "id": f"{status_list_url()}#{index}",
            "type": "BitstringStatusListEntry",
            "statusPurpose": "revocation",
            "statusListIndex": str(index),
            "statusListCredential": status_list_url(),
        },
    }


def sign(payload: dict[str, Any]) -> str:
    """A compact VC-JWT (JWS, EdDSA) whose payload is the credential."""
    key = signing_key()
    kid = public_jwk(key.public_key())["kid"]
    return jwt.encode(
        payload, key, algorithm="EdDSA", headers={"kid": kid, "typ": JWT_TYPE, "cty": "vc"}
    )


def envelope(token: str) -> dict[str, str]:
    return {
        "@context": VC_CONTEXT,
        "id": ENVELOPE_PREFIX + token,
        "type": "EnvelopedVerifiableCredential",
    }


def encode_status_list(revoked_indexes: list[int]) -> tuple[str, int]:
    """(multibase base64url of the GZIP-compressed bitstring, length in bits)."""
    top = max(revoked_indexes, default=-1) + 1
    length = max(STATUS_LIST_BLOCK, -(-top // STATUS_LIST_BLOCK) * STATUS_LIST_BLOCK)
    bits = bytearray(length // 8)
    for i in revoked_indexes:
        bits[i // 8] |= 0x80 >> (i % 8)
    # mtime=0: the same revocations always encode to the same bytes.
    return "u" + _b64u(gzip.compress(bytes(bits), mtime=0)), length


def decode_status_list(encoded: str) -> bytes:
    if not encoded.startswith("u"):
        raise ValueError("encodedList harus multibase base64url (awalan 'u').")
    return gzip.decompress(_b64u_decode(encoded[1:]))


def status_list_credential(revoked_indexes: list[int], *, issued: dt.datetime) -> dict[str, Any]:
    encoded, _ = encode_status_list(revoked_indexes)
    url = status_list_url()
    return {
        "@context": [VC_CONTEXT],
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer_profile()["id"],
        "validFrom": issued.isoformat(),
        "credentialSubject": {
            "id": f"{url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": "revocation",
            "encodedList": encoded,
        },
    }


# ---------------------------------------------------------------------------------------------
# Verifying (offline)

OK, TAMPERED, EXPIRED, REVOKED, STATUS_UNUSABLE = 0, 1, 2, 3, 4


@dataclass
class Verification:
    code: int = OK
    reasons: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    credential: dict[str, Any] | None = None
    revocation_checked: bool = False

    @property
    def ok(self) -> bool:
        return self.code == OK

    def fail(self, code: int, reason: str) -> Verification:
        if self.code == OK:
            self.code = code
        self.reasons.append(reason)
        return self


class _Invalid(Exception):
    pass


def _token_from(data: bytes) -> str:
    """The compact JWT inside a file: an EnvelopedVerifiableCredential, or the bare JWT."""
    try:
        text = data.decode("utf-8").strip()
    except UnicodeDecodeError as exc:
        raise _Invalid("berkas bukan teks UTF-8") from exc
    if text.startswith("{"):
        try:
            doc = json.loads(text)
        except json.JSONDecodeError as exc:
            raise _Invalid(f"JSON tidak sah ({exc.msg})") from exc
        expected = {"@context", "id", "type"}
        if (
            not isinstance(doc, dict)
            or set(doc) != expected
            or doc["@context"] != VC_CONTEXT
            or doc["type"] != "EnvelopedVerifiableCredential"
            or not isinstance(doc["id"], str)
            or not doc["id"].startswith(ENVELOPE_PREFIX)
        ):
            raise _Invalid("bukan EnvelopedVerifiableCredential yang dikenal")
        return doc["id"][len(ENVELOPE_PREFIX) :]
    return text


def _verified_payload(token: str, keys: dict[str, dict[str, Any]]) -> dict[str, Any]:
    parts = token.split(".")
    if len(parts) != 3:
        raise _Invalid("bukan JWT ringkas (harus tiga bagian)")
    for part in parts:
        # Base64url has several spellings of the same bytes (the unused bits of the last
        # character); only the canonical one is accepted, so no changed byte goes unnoticed.
        try:
            if not part or _b64u(_b64u_decode(part)) != part:
                raise _Invalid("pengodean base64url tidak kanonik")
        except (ValueError, binascii.Error) as exc:
            raise _Invalid("pengodean base64url rusak") from exc
    try:
        header = json.loads(_b64u_decode(parts[0]))
    except ValueError as exc:
        raise _Invalid("header JWT rusak") from exc
    if header.get("alg") != "EdDSA" or header.get("typ") != JWT_TYPE:
        raise _Invalid("header JWT bukan EdDSA/vc+jwt")
    jwk = keys.get(header.get("kid", ""))
    if jwk is None:
        raise _Invalid("kunci penerbit (kid) tidak dikenal")
    try:
        payload = jwt.api_jws.PyJWS().decode(token, _public_key_from_jwk(jwk), algorithms=["EdDSA"])
    except jwt.InvalidSignatureError as exc:
        raise _Invalid("tanda tangan tidak cocok: isi kredensial telah diubah") from exc
    except (jwt.PyJWTError, ValueError) as exc:
        raise _Invalid(f"JWT tidak dapat diperiksa ({exc})") from exc
    try:
        credential = json.loads(payload)
    except ValueError as exc:
        raise _Invalid("isi JWT bukan JSON") from exc
    if not isinstance(credential, dict):
        raise _Invalid("isi JWT bukan objek kredensial")
    contexts = credential.get("@context")
    if not isinstance(contexts, list) or not contexts or contexts[0] != VC_CONTEXT:
        raise _Invalid("@context pertama harus konteks VC 2.0")
    unknown = [c for c in contexts if c not in CONTEXT_FILES]
    if unknown:
        raise _Invalid(
            f"konteks JSON-LD tidak dikenal (tidak diunduh): {', '.join(map(str, unknown))}"
        )
    return credential


def _parse_instant(value: Any) -> dt.datetime | None:
    if not isinstance(value, str):
        return None
    try:
        moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else None


def _keys_from(jwks_doc: dict[str, Any] | None) -> dict[str, dict[str, Any]]:
    doc = jwks_doc if jwks_doc is not None else jwks()
    out = {}
    for k in doc.get("keys", []):
        try:
            kid = public_jwk(_public_key_from_jwk(k))["kid"]
        except (KeyError, ValueError):
            continue
        out[k.get("kid") or kid] = k
        out[kid] = k
    return out


def verify(
    data: bytes,
    *,
    jwks_doc: dict[str, Any] | None = None,
    status_list: bytes | None = None,
    now: dt.datetime | None = None,
) -> Verification:
    """Check one exported credential offline. Reasons are in Indonesian.

    1. Read the envelope and the JWT (canonical base64url only); 2. check the EdDSA signature
    with the issuer's key (``jwks_doc``, else this installation's own key); 3. check the type,
    the contexts (only shipped ones) and the validity period; 4. with ``status_list`` (an
    exported status list credential, itself verified the same way) check revocation.
    """
    now = now or timezone.now()
    result = Verification()
    keys = _keys_from(jwks_doc)
    try:
        credential = _verified_payload(_token_from(data), keys)
    except _Invalid as exc:
        return result.fail(TAMPERED, f"Kredensial tidak asli atau rusak: {exc}.")
    result.credential = credential
    types = credential.get("type") or []
    if "VerifiableCredential" not in types or not (
        "AchievementCredential" in types or "OpenBadgeCredential" in types
    ):
        return result.fail(TAMPERED, "Bukan AchievementCredential (Open Badges 3.0).")
    valid_from = _parse_instant(credential.get("validFrom"))
    valid_until = _parse_instant(credential.get("validUntil"))
    if valid_from is None or valid_until is None:
        return result.fail(TAMPERED, "Tanggal berlaku (validFrom/validUntil) tidak terbaca.")
    if now < valid_from:
        result.fail(EXPIRED, f"Kredensial belum berlaku (mulai {valid_from:%d-%m-%Y}).")
    if now > valid_until:
        result.fail(
            EXPIRED, f"Kredensial sudah kedaluwarsa (berlaku sampai {valid_until:%d-%m-%Y})."
        )
    status = credential.get("credentialStatus") or {}
    if status_list is None:
        result.notes.append(
            "Status pencabutan TIDAK diperiksa (berikan --status-list berkas daftar status)."
        )
        return result
    try:
        list_credential = _verified_payload(_token_from(status_list), keys)
    except _Invalid as exc:
        return result.fail(STATUS_UNUSABLE, f"Daftar status tidak dapat dipakai: {exc}.")
    subject = list_credential.get("credentialSubject") or {}
    if (
        "BitstringStatusListCredential" not in (list_credential.get("type") or [])
        or list_credential.get("id") != status.get("statusListCredential")
        or subject.get("statusPurpose") != status.get("statusPurpose")
    ):
        return result.fail(
            STATUS_UNUSABLE, "Daftar status bukan daftar yang dirujuk kredensial ini."
        )
    try:
        bits = decode_status_list(subject.get("encodedList", ""))
        index = int(status.get("statusListIndex"))
        revoked = bool(bits[index // 8] & (0x80 >> (index % 8)))
    except (ValueError, TypeError, IndexError, OSError) as exc:
        return result.fail(STATUS_UNUSABLE, f"Daftar status tidak terbaca ({exc}).")
    result.revocation_checked = True
    if revoked:
        result.fail(REVOKED, "Sertifikat ini telah DICABUT oleh penerbit.")
    issued = _parse_instant(list_credential.get("validFrom"))
    if issued:
        result.notes.append(
            f"Status pencabutan diperiksa terhadap daftar per {issued:%d-%m-%Y %H:%M}."
        )
    return result


@lru_cache(maxsize=4)
def context_document(url: str) -> dict[str, Any]:
    """A shipped JSON-LD context document (for a document loader; never fetched)."""
    name = CONTEXT_FILES.get(url)
    if name is None:
        raise KeyError(url)
    return json.loads((CONTEXT_DIR / name).read_text(encoding="utf-8"))
