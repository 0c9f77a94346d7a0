from django.core.management.base import BaseCommand

from apps.people.households import sync_zero_employment


class Command(BaseCommand):
    help = (
        "Find zero-employment families (零就业家庭) in the registry and clear those with a "
        "member in work again; run daily and after imports."
    )

    def add_arguments(self, parser):
        parser.add_argument("--region", default="", help="区划代码前缀,默认全部")

    def handle(self, region, **options):
        result = sync_zero_employment(region)
        self.stdout.write(f"零就业家庭: 新发现{result.opened}户, 已清零{result.cleared}户")
