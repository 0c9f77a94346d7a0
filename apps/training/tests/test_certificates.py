"""A certificate carries a signature anyone can check offline: a changed fact, another
key, or a forged signature fails; the offline tool agrees with the platform."""

import base64
import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from apps.people.models import Certificate
from apps.people.tests.factories import PersonFactory
from apps.training import signing

pytestmark = pytest.mark.django_db
TOOL = Path(__file__).resolve().parents[3] / "tools" / "verify_certificate.py"


@pytest.fixture
def certificate():
    person = PersonFactory(name="王焊工")
    return Certificate.objects.create(
        person=person,
        occupation_id="6-18-02-04",
        name="焊工",
        level=4,
        number="JY2026341282000000001",
        issued_on=dt.date(2026, 11, 30),
        issuer="界首市技工学校",
    )


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def test_a_genuine_certificate_verifies_with_its_facts(certificate):
    facts = signing.verify(signing.token_of(certificate))
    assert (facts["name"], facts["level"], facts["issued"]) == (
        "王焊工",
        "四级/中级工",
        "2026-11-30",
    )
    assert (
        facts["id"]
        == certificate.person.id_number[:6] + "********" + certificate.person.id_number[-4:]
    )


@pytest.mark.parametrize(
    "change",
    [
        {"level": "二级/技师"},  # a higher level
        {"name": "李冒名"},  # another holder
        {"issued": "2020-01-01"},
        {"cert": "电工"},
    ],
)
def test_a_tampered_certificate_fails(certificate, change):
    body64, sig64 = signing.token_of(certificate).split(".")
    facts = json.loads(_unb64(body64))
    facts.update(change)
    forged = _b64(
        json.dumps(facts, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()
    )
    with pytest.raises(signing.VerificationError, match="签名不符"):
        signing.verify(f"{forged}.{sig64}")


def test_a_certificate_signed_with_another_key_fails(certificate):
    body = _unb64(signing.token_of(certificate).split(".")[0])
    forged = _b64(body) + "." + _b64(Ed25519PrivateKey.generate().sign(body))
    with pytest.raises(signing.VerificationError):
        signing.verify(forged)
    with pytest.raises(signing.VerificationError):
        signing.verify("not-a-certificate")


def test_the_offline_tool_needs_only_the_published_key(certificate, tmp_path):
    """Copied out of the repository, with the PEM the platform publishes."""
    key = tmp_path / "bureau.pem"
    key.write_text(signing.public_key_pem())
    tool = tmp_path / "verify_certificate.py"
    tool.write_text(TOOL.read_text(encoding="utf-8"), encoding="utf-8")
    url = "https://jiuye.example/certificates/verify/?c=" + signing.token_of(certificate)
    ok = subprocess.run(
        [sys.executable, str(tool), str(key), url], capture_output=True, text=True, cwd=tmp_path
    )
    assert ok.returncode == 0 and "核验通过" in ok.stdout and "王焊工" in ok.stdout
    body64, sig64 = signing.token_of(certificate).split(".")
    facts = json.loads(_unb64(body64)) | {"level": "一级/高级技师"}
    forged = _b64(
        json.dumps(facts, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()
    )
    bad = subprocess.run(
        [sys.executable, str(tool), str(key), f"{forged}.{sig64}"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert bad.returncode == 1 and "核验不通过" in bad.stdout
    key.write_text("not a key")
    broken = subprocess.run(
        [sys.executable, str(tool), str(key), url], capture_output=True, text=True, cwd=tmp_path
    )
    assert broken.returncode == 1 and "公钥文件无法读取" in broken.stdout


def test_only_certificates_with_a_number_and_date_are_signed(certificate):
    typed_in = Certificate.objects.create(person=certificate.person, name="电工", level=5)
    assert not signing.signable(typed_in)
    with pytest.raises(signing.VerificationError):
        signing.token_of(typed_in)
