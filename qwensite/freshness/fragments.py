"""Fragments of a page cached per entry and per saved version, read for a whole page at once.

A list page renders the same row for an entry until that entry changes, whatever else is
edited, and an API list builds the same representation: the row is kept in the configured
cache under the entry's own version (its key, ``version`` and ``updated_at``, which every save
and every change of its sizes or claims moves) and the build of the code that drew it, so an
edit elsewhere costs the next request nothing here. The rows of a page are also kept together,
under the keys of all of them, so a page whose rows are all kept is one read of one entry (on
the cache on disk, a file for the page, not one for each of its 20 to 25 rows); when one of its
rows changed, the others are read in one round trip (``get_many``), and the missing ones built
and written, with the page's new whole, in one more.

A list whose rows are kept this way can be answered before its rows are read whole: a version
needs a few columns of each row (``KeptRows.fields``), so a paginator reads those alone, asks
for the page's rows kept together (``KeptRows.get``), and reads the rows whole only when they
are not all kept (qwensite.freshness.pagination). A page's rows are named by their entries'
versions, so each process keeps in memory too those it looked up so last
(qwensite.freshness.local), and the name itself is worked out once per process for the same
rows read (``KeptRows.get``'s ``named``).
"""

import hashlib

from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from qwensite.freshness.build import BUILD
from qwensite.freshness.local import LocalStore

FRAGMENT_PREFIX = "fragment:v1:"
FRAGMENT_TIMEOUT = 24 * 60 * 60
VERSION_FIELDS = ("version", "updated_at")  # what version_of reads of an entry, its key aside
_pages = LocalStore(256)  # the rows of the pages this process read or drew last, by their key
_fragments = LocalStore(256)  # the fragments (kept_fragment) this process used last
_together_keys = LocalStore(256)  # the key of a page's rows kept together, by what names the rows read


def version_of(entry, *extra):
    """What identifies one saved version of ``entry``: its model, key, version and last change."""
    parts = [entry._meta.label, entry.pk, getattr(entry, "version", ""), entry.updated_at, *extra]
    return "|".join(map(str, parts))


def kept_per_entry(name, entries, version, compute, prepare=None):
    """``compute(entry)`` for each of ``entries``, each kept in the cache under ``name`` and the
    entry's ``version``: read for all of them in one round trip, the missing ones computed (after
    ``prepare(missing)``, which may load what computing needs, for those entries only) and
    written in one more."""
    if not entries:
        return []
    keys = _keys(name, entries, version)
    together = _together(keys)
    kept = cache.get(together)
    if kept is not None:
        return kept
    found = cache.get_many(keys)
    missing = [(key, entry) for key, entry in zip(keys, entries, strict=True) if key not in found]
    computed = {}
    if missing:
        if prepare is not None:
            prepare([entry for _, entry in missing])
        computed = {key: compute(entry) for key, entry in missing}
        found.update(computed)
    rows = [found[key] for key in keys]
    cache.set_many({**computed, together: rows}, FRAGMENT_TIMEOUT)
    return rows


class KeptRows:
    """The rows of a list kept by ``kept_per_entry(name, ..., version)``, looked up for a whole
    page: ``version(entry)`` reads the model fields ``fields`` of an entry (its key aside) and
    its annotations, and besides the entry only what ``context`` names (the site's address its
    links are made of, say), so a page's entries can be read for those alone, and the same
    entries in the same context always have the same versions."""

    def __init__(self, name, version, fields, context=None):
        self.name, self.version, self.fields, self.context = name, version, tuple(fields), context

    def kept(self, entries, compute, prepare=None):
        """``compute(entry)`` for each of ``entries``, kept so (kept_per_entry)."""
        return kept_per_entry(self.name, entries, self.version, compute, prepare)

    def get(self, entries, named=None):
        """The rows kept together for ``entries``, in their order (``KeptList``, named by what
        they are kept under; a plain empty list for no entries); None if they are not.
        ``named`` (hashable: ``Fetched.named``, the values the entries were made of) names the
        entries for this process: what they are kept under is then worked out once for it."""
        if not entries:
            return []  # an empty page's rows: none to look up (as kept_per_entry)
        if named is None:
            together = self._together(entries)
        else:
            # The version's function (a method's: its instance is each request's own) and context name it too.
            version = getattr(self.version, "__func__", self.version)
            together = _together_keys.made((self.name, version, self.context, named), lambda: self._together(entries))
        rows = _pages.get(together)  # the key names the rows' versions: what this process keeps is current
        if rows is None:
            rows = cache.get(together)
            if rows is None:
                return None
            _pages.put(together, rows)
        return KeptList(rows, together)

    def _together(self, entries):
        return _together(_keys(self.name, entries, self.version))


class KeptList(list):
    """A page's rows as kept together, and ``name``, what they are kept under: the same name is
    the same rows, so what is made of them alone (their JSON, say) can be kept by it too."""

    def __init__(self, rows, name):
        super().__init__(rows)
        self.name = name


def _keys(name, entries, version):
    return [FRAGMENT_PREFIX + _digest(f"{BUILD}|{name}|{version(entry)}") for entry in entries]


def _together(keys):
    return FRAGMENT_PREFIX + "page:" + _digest("|".join(keys))


def _digest(text):
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


def kept_fragment(name, version, compute):
    """``compute()``, kept in the cache under ``name`` and ``version`` (what it is drawn from, so
    that the same version is always the same value), and in this process's memory too."""
    return _fragments.through(FRAGMENT_PREFIX + _digest(f"{BUILD}|{name}|{version}"), compute, FRAGMENT_TIMEOUT)


def rendered_per_entry(template_name, entries, name="entry", version=version_of, prepare=None):
    """``template_name`` rendered for each of ``entries`` (as ``name``), each kept per version;
    ``prepare(missing)`` loads what rendering needs, for the entries not kept only."""
    rows = kept_per_entry(
        template_name, entries, version, lambda entry: render_to_string(template_name, {name: entry}), prepare
    )
    return _safe(rows)


class RenderedRows(KeptRows):
    """The rows of a list kept by ``rendered_per_entry(template_name, ..., version=version)``."""

    def __init__(self, template_name, version=version_of, fields=VERSION_FIELDS, context=None):
        super().__init__(template_name, version, fields, context)

    def rendered(self, entries, name="entry", prepare=None):
        """The template rendered for each of ``entries`` (as ``name``), kept so (rendered_per_entry)."""
        return rendered_per_entry(self.name, entries, name, self.version, prepare)

    def get(self, entries, named=None):
        rows = super().get(entries, named)
        return rows if not rows else KeptList(_safe(rows), rows.name)


def _safe(rows):
    return [mark_safe(html) for html in rows]  # noqa: S308 - rendered by the template engine, escaped there
