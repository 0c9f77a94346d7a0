from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from apps.imports.registry import import_specs
from apps.imports.services import create_import, run_import


class Command(BaseCommand):
    help = "Import a CSV (UTF-8/GBK) or .xlsx file of one kind; prints progress and counts."

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=sorted(import_specs()))
        parser.add_argument("path")
        parser.add_argument("--errors", help="write the rejected rows to this path")

    def handle(self, kind, path, errors=None, **options):
        source = Path(path)
        if not source.is_file():
            raise CommandError(f"文件不存在:{source}")
        with source.open("rb") as f:
            job = create_import(kind=kind, file=f, filename=source.name)

        def progress(done: int, total: int) -> None:
            self.stderr.write(f"\r{done}/{total}", ending="")

        job = run_import(job.pk, on_progress=progress if options["verbosity"] > 0 else None)
        self.stderr.write("")
        self.stdout.write(
            f"{job.get_status_display()}: 新增{job.created_count} 更新{job.updated_count} "
            f"未变化{job.unchanged_count} 被拒{job.rejected_count} {job.message}".strip()
        )
        if job.error_file and errors:
            Path(errors).write_bytes(job.error_file.read())
            self.stdout.write(f"被拒行已写入 {errors}")
        if job.status == job.Status.FAILED:
            raise CommandError(job.message)
