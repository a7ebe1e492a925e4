"""`manage.py backup [ARCHIVE]`: the portal's data and media in one .tar.gz.

The archive holds `manifest.json` (models, row counts, date), `data.jsonexact`
(dumpdata of every app in the "jsonexact" format of core/serializers.py,
which keeps microseconds and surrounding whitespace, with natural keys) and `media/` (uploaded files). The
geography (territories) is reference data reloaded by `load_geography`, left
out unless --with-geography. Sessions, the cache table and permissions are
rebuilt by Django and left out. Restore with `manage.py restore ARCHIVE`.
For large PostgreSQL databases, `pg_dump -Fc` plus a copy of MEDIA_ROOT is
the documented alternative (docs/deployment.md).
"""

import io
import json
import tarfile
import tempfile
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management import BaseCommand, call_command
from django.utils import timezone

EXCLUDED = [
    "contenttypes",
    "auth.permission",
    "sessions",
    "admin.logentry",
    "wagtailsearch",
]
REFERENCE_APPS = ["territories"]
DATA_NAME = "data.jsonexact"


def backed_up_models(with_geography: bool) -> list:
    skipped_apps = {"contenttypes", "sessions", "wagtailsearch"}
    if not with_geography:
        skipped_apps |= set(REFERENCE_APPS)
    models = []
    for model in apps.get_models():
        meta = model._meta
        if meta.app_label in skipped_apps or meta.proxy or not meta.managed:
            continue
        if meta.label_lower in {"auth.permission", "admin.logentry"}:
            continue
        models.append(model)
    return models


class Command(BaseCommand):
    help = "Sauvegarde les données et les fichiers du portail dans une archive."

    def add_arguments(self, parser):
        parser.add_argument(
            "archive",
            nargs="?",
            help="fichier .tar.gz (par défaut var/backups/habitat-DATE.tar.gz)",
        )
        parser.add_argument("--with-geography", action="store_true")

    def handle(self, *args, archive=None, with_geography=False, **options):
        if not archive:
            folder = Path(settings.BASE_DIR) / "var" / "backups"
            folder.mkdir(parents=True, exist_ok=True)
            archive = folder / f"habitat-{timezone.now():%Y%m%d-%H%M%S}.tar.gz"
        archive = Path(archive)
        excluded = list(EXCLUDED)
        if not with_geography:
            excluded += REFERENCE_APPS
        with tempfile.TemporaryDirectory() as scratch:
            data_path = Path(scratch) / DATA_NAME
            call_command(
                "dumpdata",
                *[f"--exclude={label}" for label in excluded],
                natural_foreign=True,
                natural_primary=False,
                format="jsonexact",
                output=str(data_path),
                verbosity=0,
            )
            models = backed_up_models(with_geography)
            manifest = {
                "created": timezone.now().isoformat(),
                "with_geography": with_geography,
                "counts": {
                    model._meta.label_lower: model._base_manager.count()
                    for model in models
                },
            }
            media_root = Path(settings.MEDIA_ROOT)
            with tarfile.open(archive, "w:gz") as tar:
                payload = json.dumps(manifest, indent=2).encode()
                info = tarfile.TarInfo("manifest.json")
                info.size = len(payload)
                tar.addfile(info, io.BytesIO(payload))
                tar.add(data_path, arcname=DATA_NAME)
                if media_root.exists():
                    tar.add(media_root, arcname="media")
        total = sum(manifest["counts"].values())
        self.stdout.write(
            f"Sauvegarde écrite : {archive} ({total} objets, fichiers de "
            f"{settings.MEDIA_ROOT})."
        )
        return None
