"""Sign-in lockout (django-axes): an account after a few wrong passwords from anywhere,
an address only after many, for any accounts.

An office reaches the platform from one address: one person's typos must not lock the
whole office out, while a guesser trying many accounts from one address, or one account
from many addresses, is stopped."""

from __future__ import annotations

from axes.handlers.database import AxesDatabaseHandler
from django.conf import settings
from django.db.models import Sum


class AccountOrAddressHandler(AxesDatabaseHandler):
    """AXES_LOCKOUT_PARAMETERS is ["username", "ip_address"]: the attempts come back in that
    order. Axes compares one number with one limit (AXES_FAILURE_LIMIT, the account's), so
    an address's failures are counted short by the difference of the two limits: it
    reaches the account's limit exactly when it has reached LOGIN_ADDRESS_FAILURE_LIMIT."""

    def get_failures(self, request, credentials=None) -> int:
        by_account, by_address = (
            attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0
            for attempts in self.get_user_attempts(request, credentials)
        )
        shift = settings.LOGIN_ADDRESS_FAILURE_LIMIT - settings.AXES_FAILURE_LIMIT
        return max(by_account, by_address - shift)
