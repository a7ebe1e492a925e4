"""Factories of the ads' tests, shared by every tests/ads file.

`make_ad(**fields)` creates a published ad in Lyon (69123) by bob unless told
otherwise; `land=True` makes it a land offer with its specific fields.
"""

import itertools
from datetime import timedelta

import pytest
from django.utils import timezone

from habitat.ads.models import Ad, Category, Kind, PosterKind, Transaction
from habitat.moderation.models import Status

_counter = itertools.count(1)

SECRET_EMAIL = "secret.author@prive.example"


@pytest.fixture
def author(db):
    from habitat.accounts.models import User

    user = User.objects.create_user(
        email=SECRET_EMAIL,
        password="correct-horse-battery",
        email_verified=True,
        display_name="Dominique",
    )
    User.objects.filter(pk=user.pk).update(
        date_joined=timezone.now() - timedelta(days=60)
    )
    user.refresh_from_db()
    return user


@pytest.fixture
def make_ad(db, author):
    def make(*, land=False, commune="69123", **fields):
        n = next(_counter)
        fields.setdefault("title", f"Annonce numéro {n}")
        fields.setdefault("body", f"Texte de l'annonce {n}.")
        fields.setdefault("status", Status.PUBLISHED)
        fields.setdefault("author", author)
        if fields["status"] == Status.PUBLISHED:
            fields.setdefault("published_at", timezone.now())
        if land:
            fields.setdefault("category", Category.LAND)
            fields.setdefault("kind", Kind.OFFER)
            fields.setdefault("poster_kind", PosterKind.TOWN)
            fields.setdefault("surface_m2", 1500)
            fields.setdefault("transaction", Transaction.LEASE)
        else:
            fields.setdefault("category", Category.DWELLING)
            fields.setdefault("kind", Kind.OFFER)
        ad = Ad(commune_id=commune, **fields)
        ad.save()
        return ad

    return make
