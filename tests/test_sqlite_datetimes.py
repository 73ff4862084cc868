"""SQLite's datetimes are made aware as Django makes them, at a fraction of the cost
(qwensite.ops.sqlite.base.DatabaseOperations)."""

import datetime as dt
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from django.db.backends.sqlite3.operations import DatabaseOperations as DjangoOperations

from qwensite.ops.sqlite.base import DatabaseOperations

NAIVE = dt.datetime(2026, 3, 8, 9, 30, 15, 123456)
VALUES = [
    NAIVE,
    NAIVE.replace(tzinfo=dt.UTC),
    NAIVE.replace(tzinfo=ZoneInfo("Asia/Shanghai")),
    "2026-03-08 09:30:15.123456",
    "2026-03-08 09:30:15+08:00",
    None,
]


@pytest.mark.parametrize("use_tz", [True, False])
@pytest.mark.parametrize("zone", [dt.UTC, ZoneInfo("Europe/Rome")])
@pytest.mark.parametrize("value", VALUES, ids=repr)
def test_a_datetime_read_is_the_one_django_makes(settings, use_tz, zone, value):
    settings.USE_TZ = use_tz
    connection = SimpleNamespace(timezone=zone if use_tz else None)  # as Django's: None without USE_TZ

    ours = DatabaseOperations(connection).convert_datetimefield_value(value, None, None)
    django = DjangoOperations(connection).convert_datetimefield_value(value, None, None)

    assert ours == django
    assert getattr(ours, "tzinfo", None) == getattr(django, "tzinfo", None)
