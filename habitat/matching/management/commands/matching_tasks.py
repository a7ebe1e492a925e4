"""Queue the periodic matching tasks; run from cron, e.g.

0 7 * * *  manage.py matching_tasks daily
0 7 * * 1  manage.py matching_tasks weekly
0 3 * * *  manage.py matching_tasks recompute
"""

from django.core.management.base import BaseCommand

from habitat.matching import tasks


class Command(BaseCommand):
    help = "Enqueue daily/weekly match digests or a full recomputation of matches."

    def add_arguments(self, parser):
        parser.add_argument("what", choices=["daily", "weekly", "recompute"])
        parser.add_argument(
            "--now", action="store_true", help="Run here instead of in the worker."
        )

    def handle(self, *args, what, now=False, **options):
        task = tasks.recompute_everything if what == "recompute" else tasks.send_digests
        arguments = () if what == "recompute" else (what,)
        if now:
            result = task.call(*arguments)
            self.stdout.write(f"{what} : {result}")
        else:
            task.enqueue(*arguments)
            self.stdout.write(f"{what} : tâche mise en file")
