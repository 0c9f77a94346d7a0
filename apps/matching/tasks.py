from celery import shared_task


@shared_task(name="matching.run_push")
def run_push_task(push_id: int) -> str:
    from .push import run_push

    return run_push(push_id).status
