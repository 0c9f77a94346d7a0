from celery import shared_task


@shared_task(name="policies.run_sweep")
def run_sweep_task(sweep_id: int) -> str:
    from .sweeps import run_sweep

    return run_sweep(sweep_id).status
