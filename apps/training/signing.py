"""Certificates anyone can verify offline (证书防伪).

A certificate's facts are written as canonical JSON and signed with the bureau's Ed25519
key; its page and QR code carry ``<facts>.<signature>`` (both base64url). A verifier
checks the signature against the bureau's published public key (``/certificates/key/``)
with any Ed25519 library — ``tools/verify_certificate.py`` does it with ``cryptography``
alone, without calling the platform — so a changed level, name or date is caught.

The key: ``CERTIFICATE_SIGNING_KEY`` from the environment (any long random string; every
server of a deployment must share it), else a random one made beside the data at the
first use (one machine). Its public half's fingerprint (``kid``) is in every signed text,
so a verifier holding several published keys knows which one to use."""

from __future__ import annotations

import base64
import hashlib
import json
from functools import cache

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

VERSION = 1
SEPARATOR = "."


class VerificationError(ValueError):
    pass


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (ValueError, TypeError):
        raise VerificationError("证书码格式不正确") from None


def private_key() -> Ed25519PrivateKey:
    from django.conf import settings  # only signing needs Django: verifying runs without it

    return _key(settings.CERTIFICATE_SIGNING_KEY)


@cache
def _key(secret: str) -> Ed25519PrivateKey:
    return Ed25519PrivateKey.from_private_bytes(hashlib.sha256(secret.encode()).digest())


def public_bytes(key: Ed25519PublicKey | None = None) -> bytes:
    key = key or private_key().public_key()
    return key.public_bytes(Encoding.Raw, PublicFormat.Raw)


def key_id(raw: bytes | None = None) -> str:
    return hashlib.sha256(raw or public_bytes()).hexdigest()[:16]


def public_key_pem() -> str:
    return (
        private_key()
        .public_key()
        .public_bytes(Encoding.PEM, PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )


def signable(certificate) -> bool:
    """The bureau signs what it can stand behind: a certificate with its number and date
    (issued after an evaluation on the platform, or imported from the issuing system); a
    line typed into a person's file without them is not signed."""
    return bool(certificate.number and certificate.issued_on)


def facts_of(certificate) -> dict:
    """What a certificate asserts, as signed: no more personal data than a holder shows
    (the name, and the resident ID masked as on the platform's pages)."""
    from jiuye.identifiers import mask_resident_id

    person = certificate.person
    return {
        "v": VERSION,
        "kid": key_id(),
        "no": certificate.number,
        "name": person.name,
        "id": mask_resident_id(person.id_number),
        "cert": certificate.name,
        "kind": certificate.get_kind_display(),
        "occupation": certificate.occupation_id or "",
        "level": certificate.get_level_display() or "",
        "issued": certificate.issued_on.isoformat() if certificate.issued_on else "",
        "issuer": certificate.issuer,
    }


def _canonical(facts: dict) -> bytes:
    return json.dumps(facts, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def sign(facts: dict) -> str:
    body = _canonical(facts)
    return _b64(body) + SEPARATOR + _b64(private_key().sign(body))


def token_of(certificate) -> str:
    if not signable(certificate):
        raise VerificationError("该证书没有编号或发证日期,平台不为其签名")
    return sign(facts_of(certificate))


def load_public_key(pem: bytes) -> bytes:
    """The raw Ed25519 key of a published PEM (``/certificates/key/``)."""
    from cryptography.hazmat.primitives.serialization import load_pem_public_key

    key = load_pem_public_key(pem)
    if not isinstance(key, Ed25519PublicKey):
        raise VerificationError("公钥不是Ed25519公钥")
    return public_bytes(key)


def verify(token: str, public_raw: bytes | None = None) -> dict:
    """The facts of a signed token when its signature holds under the key (the platform's
    own by default); VerificationError otherwise. Runs without Django when given the key."""
    token = (token or "").strip()
    if "c=" in token:  # the whole URL from the QR code
        token = token.split("c=", 1)[1].split("&", 1)[0]
    body64, _, sig64 = token.partition(SEPARATOR)
    if not body64 or not sig64:
        raise VerificationError("证书码不完整")
    body, signature = _unb64(body64), _unb64(sig64)
    key = Ed25519PublicKey.from_public_bytes(public_raw or public_bytes())
    try:
        key.verify(signature, body)
    except InvalidSignature:
        raise VerificationError("签名不符:证书内容被改动,或不是本局签发") from None
    try:
        facts = json.loads(body)
    except ValueError:
        raise VerificationError("证书码格式不正确") from None
    if facts.get("kid") != key_id(public_raw):
        raise VerificationError("签名密钥不符")
    return facts
