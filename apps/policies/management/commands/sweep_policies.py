from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from apps.policies.models import Sweep
from apps.policies.rules import catalog
from apps.policies.sweeps import SweepError, create_sweep, run_sweep


class Command(BaseCommand):
    help = "Proactive identification (主动识别): evaluate every policy in force over a region."

    def add_arguments(self, parser):
        parser.add_argument("--region", required=True, help="region code prefix, e.g. 341282")
        parser.add_argument("--year", type=int, default=None)
        parser.add_argument("--notify", action="store_true", help="tell the persons found")

    def handle(self, region, year, notify, **options):
        year = year or timezone.localdate().year
        try:
            sweep = run_sweep(create_sweep(user=None, region_prefix=region, year=year).pk)
            if sweep.status != Sweep.Status.DONE:
                raise CommandError(sweep.error)
            names = {code: spec.name for code, spec in catalog.policies().items()}
            self.stdout.write(f"识别 #{sweep.pk} {region} {year}年,用时 {sweep.seconds} 秒")
            for code, n in sorted(sweep.counts.items()):
                self.stdout.write(f"  {names.get(code, code)}: {n}")
            if notify:
                self.stdout.write(f"已通知 {notify(sweep)} 个对象")
        except SweepError as exc:
            raise CommandError(str(exc)) from None
