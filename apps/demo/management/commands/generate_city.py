from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from apps.demo.policy_facts import simulate_claims
from apps.demo.services import DemoError, ensure_demo_users, generate_city, issue_demo_keys


class Command(BaseCommand):
    help = "Generate a demo city inside a real county (deterministic for a seed) and demo logins."

    def add_arguments(self, parser):
        parser.add_argument(
            "--region", default=settings.DEMO_REGION, help="county code, e.g. 341282"
        )
        parser.add_argument("--people", type=int, default=100_000)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--no-users", action="store_true", help="do not create demo logins")

    def handle(self, region, people, seed, no_users, **options):
        if people < 1:
            raise CommandError("--people 须为正整数")
        try:
            created = generate_city(
                county_code=region, people=people, seed=seed, log=self.stdout.write
            )
            if no_users:
                return
            password = settings.DEMO_PASSWORD or ("jiuye-demo" if settings.DEBUG else "")
            if not password:
                raise CommandError("DEBUG关闭时须设置环境变量 DEMO_PASSWORD 才能创建演示账号")
            logins = ensure_demo_users(region, password)
            if created:
                simulate_claims(region, seed=seed, log=self.stdout.write)
        except DemoError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"\n演示账号(密码均为 {password}):")
        for login in logins:
            self.stdout.write(f"  {login.username:<16} {login.role:<14} {login.scope}")
        self.stdout.write("\n演示接口令牌(API keys, docs/api.md; 接口文档 /api/docs):")
        for username, secret in issue_demo_keys():
            self.stdout.write(f"  {username:<16} {secret}")
