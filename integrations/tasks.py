"""Celery tasks of the integrations: ids only, each safe to run twice."""

from celery import shared_task

from integrations.services import webhooks


@shared_task(name="integrations.webhook_endpoint_deliver", acks_late=True)
def webhook_endpoint_deliver_task(endpoint_id: int) -> int:
    return webhooks.endpoint_deliver(endpoint_id=endpoint_id)


@shared_task(name="integrations.webhooks_sweep")
def webhooks_sweep_task() -> int:
    """Enqueue the delivery runs that were missed (lost task, killed worker, broker down)."""
    return webhooks.webhooks_sweep()


@shared_task(name="integrations.crm_job_run", acks_late=True)
def crm_job_run_task(job_id: int) -> bool:
    from integrations.services import crm

    return crm.crm_job_run(job_id=job_id)


@shared_task(name="integrations.crm_jobs_sweep")
def crm_jobs_sweep_task() -> int:
    from integrations.services import crm

    return crm.crm_jobs_sweep()
