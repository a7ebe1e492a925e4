from django.core.management.base import BaseCommand
from django.db import transaction

from habitat.core import demo


class Command(BaseCommand):
    help = "Remove everything the demo loader created (marked is_demo)."

    def handle(self, *args, **options):
        with transaction.atomic():
            demo.remove_all()
        self.stdout.write("Données de démonstration supprimées.")
