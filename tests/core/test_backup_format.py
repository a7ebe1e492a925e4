"""The backup's fixture format gives back exactly what was saved."""

from datetime import UTC, datetime

import pytest
from django.core import serializers

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
