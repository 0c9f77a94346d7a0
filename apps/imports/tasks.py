from celery import shared_task


@shared_task(name="imports.run_import")
def run_import_task(job_id: int) -> str:
    from .services import run_import

    return run_import(job_id).status
