"""Fragments of a page cached per entry and per saved version, read for a whole page at once.

A list page renders the same row for an entry until that entry changes, whatever else is
edited: the row is kept in the configured cache under the entry's own version (its key,
``version`` and ``updated_at``, which every save and every change of its sizes or claims
moves), so an edit elsewhere costs the next request nothing here. The rows of a page are read
in one round trip (``get_many``) and the missing ones rendered and written in one more.
"""

import hashlib

from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

FRAGMENT_PREFIX = "fragment:v1:"
FRAGMENT_TIMEOUT = 24 * 60 * 60


def version_of(entry, *extra):
    """What identifies one saved version of ``entry``: its model, key, version and last change."""
    parts = [entry._meta.label, entry.pk, getattr(entry, "version", ""), entry.updated_at, *extra]
    return "|".join(map(str, parts))


def rendered_per_entry(template_name, entries, name="entry", version=version_of):
    """``template_name`` rendered for each of ``entries`` (as ``name``), each kept per version."""
    keys = [
        FRAGMENT_PREFIX + hashlib.blake2b(f"{template_name}|{version(entry)}".encode(), digest_size=16).hexdigest()
        for entry in entries
    ]
    found = cache.get_many(keys) if keys else {}
    missing = {}
    rows = []
    for key, entry in zip(keys, entries, strict=True):
        html = found.get(key)
        if html is None:
            html = missing[key] = render_to_string(template_name, {name: entry})
        rows.append(mark_safe(html))  # noqa: S308 - rendered by the template engine, escaped there
    if missing:
        cache.set_many(missing, FRAGMENT_TIMEOUT)
    return rows
