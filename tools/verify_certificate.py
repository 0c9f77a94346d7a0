#!/usr/bin/env python3
"""Verify a skill certificate offline (证书离线核验), without calling the platform.

    python verify_certificate.py bureau-key.pem "<the QR code's text or URL>"

``bureau-key.pem`` is the bureau's published public key (the platform serves it at
``/certificates/key/``). This file stands alone: copy it anywhere; it needs only Python 3
and the ``cryptography`` package. It prints the certificate's facts when the signature
holds, and exits 1 saying why when it does not (a changed level, name or date, or a
certificate the bureau did not sign). The format: ``<facts>.<signature>``, both
base64url; the facts are canonical JSON (sorted keys, no spaces, UTF-8), signed with
Ed25519; ``kid`` in them is the first 16 hex digits of SHA-256 of the raw public key."""

from __future__ import annotations

import base64
import hashlib
import json
import sys
from pathlib import Path


class Refused(ValueError):
    pass


def _unb64(text: str) -> bytes:
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except ValueError:
        raise Refused("证书码格式不正确") from None


def public_key(pem: bytes):
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
    from cryptography.hazmat.primitives.serialization import load_pem_public_key

    try:
        key = load_pem_public_key(pem)
    except ValueError:
        raise Refused("公钥文件无法读取(应为平台 /certificates/key/ 下载的 PEM 文件)") from None
    if not isinstance(key, Ed25519PublicKey):
        raise Refused("公钥不是 Ed25519 公钥")
    return key


def verify(token: str, key) -> dict:
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    token = (token or "").strip()
    if "c=" in token:  # the whole URL from the QR code
        token = token.split("c=", 1)[1].split("&", 1)[0]
    body64, _, sig64 = token.partition(".")
    if not body64 or not sig64:
        raise Refused("证书码不完整")
    body, signature = _unb64(body64), _unb64(sig64)
    try:
        key.verify(signature, body)
    except InvalidSignature:
        raise Refused("签名不符:证书内容被改动,或不是本局签发") from None
    try:
        facts = json.loads(body)
    except ValueError:
        raise Refused("证书码格式不正确") from None
    raw = key.public_bytes(Encoding.Raw, PublicFormat.Raw)
    if facts.get("kid") != hashlib.sha256(raw).hexdigest()[:16]:
        raise Refused("签名密钥不符")
    return facts


def main(argv: list[str]) -> int:
    if len(argv) != 3:
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    try:
        pem = Path(argv[1]).read_bytes()
        facts = verify(argv[2], public_key(pem))
    except OSError as e:
        print(f"核验不通过:公钥文件无法打开({e.strerror})")
        return 1
    except Refused as e:
        print(f"核验不通过:{e}")
        return 1
    print("核验通过:")
    print(json.dumps(facts, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
