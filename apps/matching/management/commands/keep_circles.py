from django.core.management.base import BaseCommand

from apps.accounts.models import User
from apps.accounts.scoping import user_scope_prefix
from apps.matching.circles import kept_circle_report


class Command(BaseCommand):
    help = (
        "Compute the communities' circles (三公里就业圈, 15分钟服务圈, 充分就业社区) ahead for "
        "every region a back-office account sees, or for --region: the nightly job, so that "
        "the first look of the day is instant. A region whose data has not changed since its "
        "snapshot is left as it is."
    )

    def add_arguments(self, parser):
        parser.add_argument("--region", action="append", help="a region prefix (repeatable)")

    def handle(self, *args, **options):
        prefixes = options["region"]
        if not prefixes:
            staff = User.objects.filter(is_active=True, scope_region__isnull=False)
            prefixes = sorted({p for p in map(user_scope_prefix, staff) if p is not None})
        for prefix in prefixes:
            report = kept_circle_report(prefix)
            self.stdout.write(
                f"{prefix or '全部'}: {len(report.communities)} 个社区(村), "
                f"{report.meeting} 个达标, 统计时间 {report.computed_at:%Y-%m-%d %H:%M}"
            )
