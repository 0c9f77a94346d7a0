import io
from importlib import resources

from django.core.management.base import BaseCommand, CommandError

from apps.imports.services import create_import, run_import
from apps.regions.services import load_communities, load_divisions
from apps.taxonomy import classification

TAXONOMY_FILES = [
    ("industries", "industries_gbt4754_2017.csv"),
    ("occupations", "occupations_2022.csv"),  # reconciled with csco22.csv: classification.py
]


class Command(BaseCommand):
    help = (
        "Load the reference data: China's divisions and the national classifications. Idempotent."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-communities",
            action="store_true",
            help="without the statistical communities (村级, 544,000 rows; the tests' own "
            "small city uses this)",
        )

    def handle(self, **options):
        result = load_divisions()
        self.stdout.write(
            f"行政区划: 新增{result.created} 更新{result.updated} 未变化{result.unchanged}"
        )
        if not options["no_communities"]:
            result = load_communities()
            self.stdout.write(
                f"社区(村): 新增{result.created} 更新{result.updated} 未变化{result.unchanged}"
            )
        # Statistics for the planner: without them SQLite reads a county's communities
        # through the index on level (all 544,000 communities) instead of the code range
        # (0.1 s against 1 ms on every page with a community select).
        from django.db import connection

        from apps.regions.models import Region

        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(Region._meta.db_table)}")
        for kind, name in TAXONOMY_FILES:
            if kind == "occupations":
                f = io.BytesIO(classification.as_csv())
            else:
                f = resources.files("apps.taxonomy").joinpath(f"data/{name}").open("rb")
            with f:
                job = run_import(create_import(kind=kind, file=f, filename=name).pk)
            if job.status != job.Status.DONE:
                raise CommandError(f"{name}: {job.message or job.get_status_display()}")
            self.stdout.write(
                f"{name}: 新增{job.created_count} 更新{job.updated_count} "
                f"未变化{job.unchanged_count}"
            )
        # The plans' targets name regions of the division list, loaded above.
        from apps.indicators.targets import TargetFileError, load

        try:
            self.stdout.write(f"规划目标: {load()} 项")
        except TargetFileError as e:
            raise CommandError(str(e)) from None
