"""`manage.py restore ARCHIVE`: put back what `manage.py backup` saved.

Run on a migrated database. The tables of the saved models are emptied first
(the geography is kept unless the archive holds it), the data is loaded in
one transaction, then the media files are written back under MEDIA_ROOT.
"""

import json
import shutil
import tarfile
import tempfile
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management import BaseCommand, CommandError, call_command
from django.core.management.color import no_style
from django.db import connection, transaction

from habitat.core.signals import data_restored

from .backup import DATA_NAME, backed_up_models


class Command(BaseCommand):
    help = "Restaure une sauvegarde faite par `manage.py backup`."

    def add_arguments(self, parser):
        parser.add_argument("archive")
        parser.add_argument(
            "--yes", action="store_true", help="ne pas demander de confirmation"
        )

    def handle(self, *args, archive, yes=False, **options):
        archive = Path(archive)
        if not archive.exists():
            raise CommandError(f"Archive introuvable : {archive}")
        if not yes and options.get("interactive", True):
            answer = input(
                "Les données actuelles du portail seront remplacées. Continuer ? [o/N] "
            )
            if answer.strip().lower() not in {"o", "oui", "y", "yes"}:
                raise CommandError("Restauration annulée.")
        with tempfile.TemporaryDirectory() as scratch:
            scratch = Path(scratch)
            with tarfile.open(archive, "r:gz") as tar:
                tar.extractall(scratch, filter="data")
            manifest = json.loads((scratch / "manifest.json").read_text())
            models = [
                apps.get_model(label) for label in manifest["counts"] if _exists(label)
            ]
            models = [m for m in models if m in backed_up_models(True)]
            self._empty(models)
            with transaction.atomic():
                # Archives written before the exact JSON format hold data.xml.
                data = scratch / DATA_NAME
                if not data.exists():
                    data = scratch / "data.xml"
                call_command("loaddata", str(data), verbosity=0)
                self._reset_sequences(models)
                data_restored.send(sender=self.__class__)
            media = scratch / "media"
            if media.exists():
                target = Path(settings.MEDIA_ROOT)
                target.mkdir(parents=True, exist_ok=True)
                shutil.copytree(media, target, dirs_exist_ok=True)
        total = sum(manifest["counts"].values())
        self.stdout.write(f"Sauvegarde restaurée : {total} objets.")

    def _empty(self, models):
        tables = {model._meta.db_table for model in models}
        for model in models:
            for field in model._meta.local_many_to_many:
                through = field.remote_field.through
                if through._meta.auto_created:
                    tables.add(through._meta.db_table)
        statements = connection.ops.sql_flush(
            no_style(), sorted(tables), reset_sequences=False, allow_cascade=True
        )
        with transaction.atomic(), connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                cursor.execute("PRAGMA defer_foreign_keys = ON")
            elif connection.vendor == "postgresql":
                # Inside an outer transaction, rows inserted earlier leave
                # deferred foreign-key checks pending, and PostgreSQL refuses
                # to TRUNCATE such tables: run those checks now.
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            for statement in statements:
                cursor.execute(statement)
            if connection.vendor == "postgresql":
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")

    def _reset_sequences(self, models):
        statements = connection.ops.sequence_reset_sql(no_style(), models)
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)


def _exists(label):
    try:
        apps.get_model(label)
    except LookupError:
        return False
    return True
