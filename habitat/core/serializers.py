"""A JSON fixture format that keeps every value exactly, for backups.

Django's JSON serializer cuts datetimes and times to milliseconds, and its XML
deserializer strips the whitespace around every value, so neither gives back
what was saved. "jsonexact" (registered in SERIALIZATION_MODULES) writes
datetimes and times in full ISO 8601 and reads with Django's JSON
deserializer, which parses them back to the microsecond.
"""

import datetime

from django.core.serializers import json as django_json
from django.core.serializers.json import DjangoJSONEncoder


class ExactEncoder(DjangoJSONEncoder):
    def default(self, o):
        if isinstance(o, (datetime.datetime, datetime.time)):
            return o.isoformat()
        return super().default(o)


class Serializer(django_json.Serializer):
    def _init_options(self):
        super()._init_options()
        self.json_kwargs["cls"] = ExactEncoder


Deserializer = django_json.Deserializer
