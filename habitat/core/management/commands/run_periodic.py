"""One entry point for the scheduled jobs, for cron or a systemd timer.

django-tasks has no scheduler: cron calls this command, which only queues
work; the `db_worker` processes do it.

    0 */4 * * *  manage.py run_periodic hourly   # calendar subscriptions, outbox
    30 3 * * *   manage.py run_periodic daily    # reminders, alerts, digests
    45 3 * * 1   manage.py run_periodic weekly   # weekly alerts and digests
"""

from django.core.management import call_command
from django.core.management.base import BaseCommand

JOBS = {
    "hourly": [("import_events", "--subscriptions"), ("resume_outbox",)],
    "daily": [
        ("ads_send_reminders",),
        ("ads_send_alerts", "daily"),
        ("matching_tasks", "daily"),
        ("send_confirmation_requests",),
    ],
    "weekly": [("ads_send_alerts", "weekly"), ("matching_tasks", "weekly")],
}


class Command(BaseCommand):
    help = "Queue the scheduled jobs of one period (hourly, daily or weekly)."

    def add_arguments(self, parser):
        parser.add_argument("period", choices=sorted(JOBS))

    def handle(self, *args, period, **options):
        for command, *arguments in JOBS[period]:
            self.stdout.write(f"{command} {' '.join(arguments)}".strip())
            call_command(command, *arguments, stdout=self.stdout)
