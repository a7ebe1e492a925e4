"""manage.py import_projects FILE: import a Bazar JSON export or a CSV file."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from habitat.core.exceptions import HabitatError
from habitat.projects.importers.run import ACTION_LABELS, import_projects


class Command(BaseCommand):
    help = "Importe des fiches projets (export Bazar JSON de YesWiki ou CSV)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="Fichier JSON (Bazar) ou CSV.")
        parser.add_argument("--format", choices=["bazar", "csv"])
        parser.add_argument("--encoding", help="Ex. cp1252, utf-8 (détecté sinon).")
        parser.add_argument("--delimiter", help="Ex. ';' ',' 'tab' (détecté sinon).")
        parser.add_argument(
            "--mapping",
            help='Correspondance JSON {"colonne": "champ"} ("" pour ignorer).',
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Simuler sans rien écrire."
        )
        parser.add_argument(
            "--quiet-rows", action="store_true", help="Ne pas lister chaque ligne."
        )

    def handle(self, *args, **options):
        path = Path(options["file"])
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(f"Lecture impossible de {path} : {error}")
        try:
            mapping = json.loads(options["mapping"]) if options["mapping"] else None
        except json.JSONDecodeError as error:
            raise CommandError(f"--mapping n'est pas du JSON valide : {error}")

        try:
            report = import_projects(
                data,
                format=options["format"],
                filename=path.name,
                encoding=options["encoding"],
                delimiter=options["delimiter"],
                mapping=mapping,
                dry_run=options["dry_run"],
                progress=self.show_progress,
            )
        except HabitatError as error:
            raise CommandError(error.message)
        self.stderr.write("")

        if not options["quiet_rows"]:
            for row in report.rows:
                self.stdout.write(self.describe(row))
        self.stdout.write(
            f"Format {report.format}, encodage {report.encoding}"
            + (f", séparateur « {report.delimiter} »" if report.delimiter else "")
        )
        if report.ignored_columns:
            ignored = ", ".join(report.ignored_columns)
            self.stdout.write(f"Colonnes ignorées : {ignored}")
        self.stdout.write(self.style.SUCCESS(report.summary()))

    def describe(self, row) -> str:
        text = f"ligne {row.line} « {row.name} » : {ACTION_LABELS[row.action]}"
        if row.reason:
            text += f" ({row.reason})"
        if row.changes:
            text += f" [{', '.join(row.changes)}]"
        if row.needs_location:
            text += " – à localiser"
        for warning in row.warnings:
            text += f"\n    ! {warning}"
        return text

    def show_progress(self, done: int, total: int):
        width = 30
        filled = int(width * done / total) if total else width
        bar = "#" * filled + "-" * (width - filled)
        self.stderr.write(f"\r[{bar}] {100 * done // max(total, 1)} %", ending="")
        self.stderr.flush()
