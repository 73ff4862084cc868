"""British English, with ISO 8601 dates first: a date typed 2025-06-01 comes back as 2025-06-01.

Only what differs from Django's own en_GB formats is here; Django takes the rest from its own.
Every input format Django knows for en_GB stays accepted (and Django always accepts ISO).
"""

from django.conf.locale.en_GB import formats as django_en_gb

DATE_FORMAT = "Y-m-d"
DATETIME_FORMAT = "Y-m-d H:i T"
SHORT_DATE_FORMAT = "Y-m-d"
SHORT_DATETIME_FORMAT = "Y-m-d H:i T"
DATE_INPUT_FORMATS = ["%Y-%m-%d", *django_en_gb.DATE_INPUT_FORMATS]
DATETIME_INPUT_FORMATS = [
    "%Y-%m-%d %H:%M:%S",
    *(form for form in django_en_gb.DATETIME_INPUT_FORMATS if form != "%Y-%m-%d %H:%M:%S"),
]
