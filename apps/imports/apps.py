from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "apps.imports"
    verbose_name = "数据导入"

    def ready(self) -> None:
        from apps.accounts.downloads import Downloadable, register
        from jiuye.exports import CSV

        from . import checks  # noqa: F401 (registers the deployment checks)
        from .models import ImportJob

        register(
            "import-rejected",
            Downloadable(
                model=ImportJob,
                field="error_file",
                label="导入被拒行",
                may_download=lambda user, job: job.may_download(user),
                filename=lambda job: f"import-{job.pk}-rejected.csv",
                content_type=CSV,
                rows=lambda job: job.rejected_count,
            ),
        )
