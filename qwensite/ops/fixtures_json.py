"""The JSON fixture format, keeping every microsecond of a timestamp.

Django's JSON encoder cuts a time to milliseconds, so a backup restored and backed up again
differs wherever a stored time had microseconds below a thousand (``…19.000456`` is written
``…19.000``, read back as ``…19``, written again as ``…19``). Installed as the ``json`` format
(settings.SERIALIZATION_MODULES), it writes times whole; reading is Django's own.
"""

import datetime as dt

from django.core.serializers import json as django_json
from django.core.serializers.json import Deserializer  # noqa: F401  (the format's reader, unchanged)


class PreciseJSONEncoder(django_json.DjangoJSONEncoder):
    def default(self, o):
        if isinstance(o, dt.datetime):
            text = o.isoformat()
            return text[:-6] + "Z" if text.endswith("+00:00") else text
        if isinstance(o, dt.time):
            return o.isoformat()
        return super().default(o)


class Serializer(django_json.Serializer):
    def _init_options(self):
        self.options.setdefault("cls", PreciseJSONEncoder)
        super()._init_options()
