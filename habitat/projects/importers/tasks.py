"""Background import of large files (django_tasks, database queue)."""

import logging

from django.contrib.auth import get_user_model
from django_tasks import task

from habitat.core.exceptions import HabitatError

from .jobs import job_bytes, update_job
from .run import import_projects

logger = logging.getLogger(__name__)


@task()
def run_import(job: str, options: dict, actor_id: int | None = None) -> dict:
    """Import the uploaded file of `job`; progress and report go to the job."""
    actor = get_user_model().objects.filter(pk=actor_id).first() if actor_id else None
    update_job(job, state="running", progress=[0, 1])

    def progress(done: int, total: int):
        update_job(job, progress=[done, total])

    try:
        report = import_projects(
            job_bytes(job), actor=actor, progress=progress, **options
        )
    except HabitatError as error:
        update_job(job, state="failed", error=error.message)
        return {"error": error.message}
    except Exception:
        logger.exception("Import job %s failed", job)
        update_job(job, state="failed", error="Erreur inattendue pendant l'import.")
        raise
    result = report.as_dict()
    update_job(job, state="done", report=result)
    return {"counts": result["counts"]}
