from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction

from habitat.accounts.models import User
from habitat.core import demo
from habitat.territories.models import Commune


class Command(BaseCommand):
    help = "Load the geography and the demo network when the database is empty."

    def add_arguments(self, parser):
        parser.add_argument("--no-demo", action="store_true", help="Geography only.")

    def handle(self, *args, no_demo=False, **options):
        if not Commune.objects.exists():
            self.stdout.write("Chargement de la géographie française…")
            call_command("load_geography", stdout=self.stdout)
        if no_demo or User.objects.exists():
            self.stdout.write(
                "Base déjà peuplée : données de démonstration inchangées."
            )
            return
        self.stdout.write("Chargement des données de démonstration…")
        with transaction.atomic():
            context = demo.build_all()
        for line in context.log:
            self.stdout.write(f"  {line}")
