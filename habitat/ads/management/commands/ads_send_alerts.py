from django.core.management.base import BaseCommand

from habitat.ads.models import SavedSearch
from habitat.ads.tasks import send_search_alerts


class Command(BaseCommand):
    help = "Queue the saved-search alerts of one frequency (cron: daily, weekly)."

    def add_arguments(self, parser):
        parser.add_argument("frequency", choices=SavedSearch.Frequency.values)

    def handle(self, *args, frequency, **options):
        send_search_alerts.enqueue(frequency)
