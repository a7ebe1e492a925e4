from django.core.management.base import BaseCommand

from habitat.ads.tasks import send_renewal_reminders


class Command(BaseCommand):
    help = "Queue the renewal reminders of ads expiring within a week (daily cron)."

    def handle(self, *args, **options):
        send_renewal_reminders.enqueue()
