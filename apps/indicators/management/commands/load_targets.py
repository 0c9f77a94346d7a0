"""Load the plan targets of apps/indicators/targets/*.yaml (all or nothing)."""

from django.core.management.base import BaseCommand, CommandError

from apps.indicators.targets import TargetFileError, load


class Command(BaseCommand):
    help = "载入各规划的目标(apps/indicators/targets/*.yaml),全部成功才替换"

    def handle(self, *args, **options):
        try:
            n = load()
        except TargetFileError as e:
            raise CommandError(str(e)) from None
        self.stdout.write(f"载入规划目标 {n} 项")
