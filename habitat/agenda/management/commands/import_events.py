"""manage.py import_events FILE_OR_URL --source NAME [--trusted]

Staff imports from the command line are trusted unless --untrusted is given
(--trusted is accepted for clarity). --subscriptions refreshes every source
that has a URL, through the task queue.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from habitat.agenda import importer
from habitat.agenda.models import Source
from habitat.agenda.tasks import refresh_subscriptions
from habitat.core.exceptions import HabitatError


class Command(BaseCommand):
    help = "Importe un calendrier iCalendar (fichier ou adresse) dans l'agenda."

    def add_arguments(self, parser):
        parser.add_argument("location", nargs="?", help="Fichier .ics ou URL")
        parser.add_argument("--source", help="Nom de la source (clé d'idempotence)")
        parser.add_argument("--trusted", action="store_true")
        parser.add_argument("--untrusted", action="store_true")
        parser.add_argument("--subscriptions", action="store_true")

    def handle(self, *args, **options):
        if options["subscriptions"]:
            refresh_subscriptions.enqueue()
            self.stdout.write("Rafraîchissement des abonnements mis en file.")
            return
        location, name = options["location"], options["source"]
        if not location or not name:
            raise CommandError("Indiquez un fichier ou une URL et --source NOM.")

        trusted = not options["untrusted"]
        source, _created = Source.objects.get_or_create(name=name)
        try:
            if location.startswith(("http://", "https://")):
                source.url, source.trusted = location, trusted
                source.save(update_fields=["url", "trusted"])
                report = importer.fetch_source(source=source)
                if report is None:
                    self.stdout.write("Calendrier inchangé (304).")
                    return
            else:
                path = Path(location)
                if not path.is_file():
                    raise CommandError(f"Fichier introuvable : {location}")
                report = importer.import_calendar(
                    source=source, payload=path.read_bytes(), trusted=trusted
                )
        except HabitatError as error:
            raise CommandError(error.message)

        for line in report.lines:
            reason = f" ({line.reason})" if line.reason else ""
            self.stdout.write(f"{line.action:9} {line.title}{reason}")
        summary = report.summary
        self.stdout.write(
            "{created} créé(s), {updated} mis à jour, {unchanged} inchangé(s), "
            "{withdrawn} retiré(s), {refused} refusé(s).".format(**summary)
        )
