"""Issue an API key from the command line (an administrator's deployment script):
``manage.py issue_api_key --holder province-platform --scope feed:read --scope jobs:write``.
The key is printed once; only its digest is kept."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from apps.accounts.models import User
from apps.api.tokens import SCOPES, TokenError, issue


class Command(BaseCommand):
    help = "签发接口令牌 Issue an API key to an account"

    def add_arguments(self, parser):
        parser.add_argument("--holder", required=True, help="the holding account's username")
        parser.add_argument("--name", default="", help="what the key is for")
        parser.add_argument(
            "--scope", action="append", required=True, choices=sorted(SCOPES), dest="scopes"
        )
        parser.add_argument("--rate", type=int, default=600, help="calls a minute")

    def handle(self, *args, holder, name, scopes, rate, **options):
        user = User.objects.filter(username=holder).first()
        if user is None:
            raise CommandError(f"没有账号“{holder}”")
        try:
            _, secret = issue(
                holder=user, name=name or holder, scopes=scopes, by=None, rate_per_minute=rate
            )
        except TokenError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(secret)
