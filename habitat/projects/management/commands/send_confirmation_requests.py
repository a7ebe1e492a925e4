"""Queue the yearly "is your sheet still current?" e-mails (run it daily)."""

from django.core.management.base import BaseCommand

from habitat.projects.tasks import send_confirmation_requests


class Command(BaseCommand):
    help = "Met en file les demandes annuelles de confirmation des fiches projets."

    def handle(self, *args, **options):
        result = send_confirmation_requests.enqueue()
        self.stdout.write(f"Demandes mises en file (tâche {result.id}).")
