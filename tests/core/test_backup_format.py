"""The backup's fixture format gives back exactly what was saved."""

import io
import json
import tarfile
from datetime import UTC, datetime

import pytest
from django.core import serializers
from django.core.management import call_command

from habitat.accounts.models import Organisation

pytestmark = pytest.mark.django_db


def test_jsonexact_keeps_microseconds_and_surrounding_whitespace():
    moment = datetime(2026, 3, 29, 1, 59, 59, 123456, tzinfo=UTC)
    organisation = Organisation.objects.create(
        name="  Espaces autour  ", slug="espaces"
    )
    Organisation.objects.filter(pk=organisation.pk).update(created_at=moment)
    organisation.refresh_from_db()

    text = serializers.serialize("jsonexact", [organisation])
    (restored,) = list(serializers.deserialize("jsonexact", text))

    assert restored.object.name == "  Espaces autour  "
    assert restored.object.created_at == moment


def test_restore_still_reads_an_archive_in_the_former_xml_format(tmp_path, settings):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    Organisation.objects.create(name="Ancienne", slug="ancienne")
    data = tmp_path / "data.xml"
    call_command(
        "dumpdata", "accounts.organisation", format="xml", output=str(data), verbosity=0
    )
    manifest = json.dumps(
        {
            "created": "2026-11-01T00:00:00+00:00",
            "with_geography": False,
            "counts": {"accounts.organisation": 1},
        }  # fmt: skip
    ).encode()
    archive = tmp_path / "old.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        info = tarfile.TarInfo("manifest.json")
        info.size = len(manifest)
        tar.addfile(info, io.BytesIO(manifest))
        tar.add(data, arcname="data.xml")
    Organisation.objects.all().delete()

    call_command("restore", str(archive), yes=True, verbosity=0)

    assert list(Organisation.objects.values_list("slug", flat=True)) == ["ancienne"]
