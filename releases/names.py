"""How a reader names a release: by its display name or its slug, in any case, with or without
the spaces, dots, dashes or underscores ("Qwen 3", "qwen3", "QWEN-3" and "qwen-3" are one
release; "qwen2.5" and "Qwen 2.5" another), and what to suggest when a name matches nothing.

The same key is computed in Python for what the reader typed and in SQL for the stored name
and slug, so a lookup is one query whatever the size of the catalogue.
"""

import difflib
import re

from django.db import connection
from django.db.models import F, Q, Value
from django.db.models.functions import Lower, Replace

SEPARATORS = (" ", "-", ".", "_")
SUGGESTIONS = 3
# How alike a typed name and a release's name must be to be suggested (0 to 1).
SIMILARITY = 0.4


def name_key(text):
    """The key a name is matched by: lower case, without spaces, dots, dashes or underscores."""
    return re.sub(r"[\s._-]+", "", text).lower()


def _key_expression(field):
    expression = F(field)
    for separator in SEPARATORS:
        expression = Replace(expression, Value(separator), Value(""))
    return Lower(expression)


def named(queryset, keys):
    """The releases of ``queryset`` whose name or slug has one of ``keys`` (from name_key)."""
    return queryset.annotate(name_key=_key_expression("name"), slug_key=_key_expression("slug")).filter(
        Q(name_key__in=keys) | Q(slug_key__in=keys)
    )


def resolve(typed, releases):
    """``{typed value: [releases it may mean]}``, each of ``releases`` matched by slug first
    (``qwen-2-5`` is that release even if another is named "Qwen25"), then by name key."""
    by_slug = {release.slug: release for release in releases}
    found = {}
    for value in typed:
        exact = by_slug.get(value.strip().lower())
        key = name_key(value)
        found[value] = [exact] if exact else [r for r in releases if key in {name_key(r.name), name_key(r.slug)}]
    return found


def suggestions(typed, queryset):
    """Up to SUGGESTIONS releases of ``queryset`` whose names are close to ``typed``, closest first.

    On PostgreSQL by trigram similarity (pg_trgm) in one query; elsewhere with difflib over the
    names (an error page, on the development database)."""
    key = name_key(typed)
    if not key:
        return []
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import TrigramSimilarity

        return list(
            queryset.annotate(
                similarity=TrigramSimilarity(_key_expression("name"), key)
                + TrigramSimilarity(_key_expression("slug"), key)
            )
            .filter(similarity__gte=SIMILARITY)
            .order_by("-similarity", "name")[:SUGGESTIONS]
        )
    names = {}
    for release in queryset.only("name", "slug"):
        names.setdefault(name_key(release.name), release)
        names.setdefault(name_key(release.slug), release)
    close = difflib.get_close_matches(key, list(names), n=SUGGESTIONS * 2, cutoff=SIMILARITY + 0.2)
    return list(dict.fromkeys(names[match] for match in close))[:SUGGESTIONS]
