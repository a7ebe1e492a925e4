"""Queue again the outbox e-mails left unsent (run hourly by run_periodic)."""

from datetime import timedelta

from django.core.management.base import BaseCommand

from habitat.core import outbox


class Command(BaseCommand):
    help = "Queue again the e-mails of the outbox that were not sent."

    def add_arguments(self, parser):
        parser.add_argument(
            "--older-than",
            type=int,
            default=10,
            help="Only rows older than this many minutes (default 10).",
        )

    def handle(self, *args, older_than, **options):
        queued = outbox.resume(older_than=timedelta(minutes=older_than))
        self.stdout.write(f"{queued} e-mail(s) queued again")
