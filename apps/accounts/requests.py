"""What a request says about who sent it."""

from __future__ import annotations

import ipaddress

from django.conf import settings


def client_ip(request) -> str | None:
    """The client's address: REMOTE_ADDR, or, behind ``TRUSTED_PROXIES`` reverse proxies,
    the address the outermost trusted proxy saw (the one an attacker cannot forge: every
    proxy appends what connected to it, so the n-th entry from the right is trusted)."""
    address = request.META.get("REMOTE_ADDR")
    hops = settings.TRUSTED_PROXIES
    if hops:
        forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [a for a in forwarded if a]
        if len(forwarded) >= hops:
            address = forwarded[-hops]
    try:
        return str(ipaddress.ip_address(address)) if address else None
    except ValueError:
        return None
