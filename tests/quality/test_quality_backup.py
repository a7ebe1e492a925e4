"""`manage.py backup` then `restore` gives back every object and media file."""

import random

import pytest
from django.apps import apps
from django.core.management import call_command
from django.forms.models import model_to_dict

from habitat.core.management.commands.backup import backed_up_models


def snapshot():
    state = {}
    for model in backed_up_models(False):
        rows = {}
        for obj in model._base_manager.order_by("pk"):
            data = model_to_dict(obj, fields=[f.name for f in model._meta.fields])
            rows[obj.pk] = {key: str(value) for key, value in data.items()}
        state[model._meta.label_lower] = rows
    return state


def populate(bob):
    from bench.generate import Filler, make_pools

    rng = random.Random(3)
    pools = {}
    make_pools(rng, pools)
    filler = Filler(rng, pools)
    made = 0
    for label in [
        "projects.Project",
        "agenda.Event",
        "ads.Ad",
        "matching.SeekerProfile",
    ]:
        try:
            model = apps.get_model(label)
        except LookupError:
            continue
        rows = []
        for index in range(5):
            try:
                rows.append(filler.instance(model, 500_000 + index))
            except LookupError:
                break
        model.objects.bulk_create(rows)
        pools[model] = list(model.objects.values_list("pk", flat=True))
        made += len(rows)
    return made


@pytest.mark.django_db
def test_backup_and_restore_round_trip_every_object_and_media(
    tmp_path, settings, bob, mona, nadia
):
    settings.MEDIA_ROOT = tmp_path / "media"
    (settings.MEDIA_ROOT / "projects").mkdir(parents=True)
    photo = settings.MEDIA_ROOT / "projects" / "photo.jpg"
    photo.write_bytes(b"\xff\xd8\xff\xe0 photo bytes")
    assert populate(bob) > 0
    before = snapshot()
    archive = tmp_path / "backup.tar.gz"

    call_command("backup", str(archive), verbosity=0)

    # Lose everything: rows changed and deleted, media gone.
    from habitat.accounts.models import User

    User.objects.filter(email="bob@example.org").update(display_name="Changé")
    for model in backed_up_models(False):
        if model._meta.app_label in {"projects", "agenda", "ads", "matching"}:
            model._base_manager.all().delete()
    photo.unlink()
    assert snapshot() != before

    call_command("restore", str(archive), yes=True, verbosity=0)

    after = snapshot()
    assert after.keys() == before.keys()
    for label in before:
        assert after[label] == before[label], label
    assert photo.read_bytes() == b"\xff\xd8\xff\xe0 photo bytes"


@pytest.mark.django_db
def test_restore_refuses_a_missing_archive_in_french(tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="Archive introuvable"):
        call_command("restore", str(tmp_path / "absent.tar.gz"), yes=True)
