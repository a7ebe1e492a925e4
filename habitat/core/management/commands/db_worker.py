"""`manage.py db_worker`: django-tasks-db's worker, resuming the outbox first.

django-tasks-db leaves a task RUNNING forever when its worker is killed; the
e-mails such a worker was sending are queued again here, before the first
task is taken (see habitat.core.outbox).
"""

from django_tasks_db.management.commands.db_worker import Command as WorkerCommand

from habitat.core import outbox


class Command(WorkerCommand):
    def handle(self, *args, **options):
        outbox.resume()
        return super().handle(*args, **options)
