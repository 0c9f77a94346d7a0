#!/usr/bin/env python3
"""Verify a skill certificate offline (证书离线核验), without calling the platform.

    python tools/verify_certificate.py bureau-key.pem "<the QR code's text or URL>"

``bureau-key.pem`` is the bureau's published public key (the platform serves it at
``/certificates/key/``). Needs only the ``cryptography`` package. Prints the certificate's
facts when the signature holds; exits 1, saying why, when it does not (a changed level,
name or date, or a certificate the bureau did not sign)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from apps.training.signing import VerificationError, load_public_key, verify


def main(argv: list[str]) -> int:
    if len(argv) != 3:
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    try:
        facts = verify(argv[2], load_public_key(Path(argv[1]).read_bytes()))
    except VerificationError as e:
        print(f"核验不通过:{e}")
        return 1
    print("核验通过:")
    print(json.dumps(facts, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
