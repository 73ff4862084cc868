"""Revisions of a whole entry: the entry with the rows that belong to it (a release's sizes and claims).

The history store is django-simple-history, which records every save of every tracked table
(entries, sizes, claims, sources, the tags of an article) with who, when and why. A revision of
an entry is one record of the entry together with the related rows as they stood when that save
was complete, that is until the entry's next record: an admin save writes the entry first and its
inline rows right after it. The related rows of a revision are read from their own tables'
history (``Follow``), so nothing is recorded twice.

From revisions come what editors read: the changes of each save in words ("Qwen3-8B: 7B → 8B"),
a comparison of any two versions (or of a draft with the version readers last saw), and a
revert that restores the entry and all its related rows in one transaction.
"""

import dataclasses
import datetime as dt
from collections.abc import Callable
from decimal import Decimal

from django.db import models
from django.utils import timezone

from qwensite.editorial.publishing import Status, moment

ARROW = "→"
SHORT_TEXT = 80  # characters of a long text shown in the history list


@dataclasses.dataclass(frozen=True)
class Follow:
    """Rows of ``model`` whose ``fk`` names the entry, which belong to its revisions.

    Every field an editor writes is compared (all but the key to the entry); ``label(row)``
    names a row in words ("Qwen3-8B"); ``primary`` is the field a change of which is told as
    "<label>: old → new"; ``units`` suffixes values ("B" for billions of parameters).
    """

    name: str
    model: type
    fk: str
    label: Callable
    primary: str = ""
    units: dict = dataclasses.field(default_factory=dict)
    noun: str = ""

    @property
    def fields(self):
        return [field for field in compared_fields(self.model) if field.attname != self.fk]

    @property
    def verbose(self):
        return self.noun or self.model._meta.verbose_name


@dataclasses.dataclass
class Revision:
    """One version of an entry: its ``record`` and, per follow, the related rows ``{pk: row}``."""

    record: object
    until: dt.datetime | None  # the related rows are as of just before this (None: as of now)
    related: dict

    @property
    def entry(self):
        return self.record.instance


def internal_fields(model):
    """Fields no editor writes: keys, automatic times, derived values and the version counter."""
    names = {model._meta.pk.name}
    concurrency = getattr(model, "_concurrencymeta", None)
    if concurrency is not None:
        names.add(concurrency.field.name)
    for field in model._meta.concrete_fields:
        if not field.editable or getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            names.add(field.name)
    return names


def compared_fields(model, exclude=()):
    hidden = internal_fields(model) | set(exclude)
    return [field for field in model._meta.concrete_fields if field.name not in hidden]


def same(field, old, new):
    """Equal in meaning: times to the second (a form drops microseconds), decimals by value."""
    if isinstance(old, dt.datetime) and isinstance(new, dt.datetime):
        return old.replace(microsecond=0) == new.replace(microsecond=0)
    return old == new


def show(field, value, unit=""):
    """A value in words: choices by their label, rows by their name, times with their zone."""
    if value is None or value == "":
        return "empty"
    if field.choices:
        return f"{dict(field.flatchoices).get(value, value)}{unit}"
    if isinstance(field, models.ForeignKey):
        related = field.related_model._base_manager.filter(pk=value).first()
        return str(related) if related is not None else f"(deleted, #{value})"
    if isinstance(value, dt.datetime):
        return moment(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return f"{value.normalize():f}{unit}"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return f"{value}{unit}"


def shorten(text):
    return text if len(text) <= SHORT_TEXT else text[: SHORT_TEXT - 1].rstrip() + "…"


@dataclasses.dataclass
class Change:
    """One change in words: ``what`` changed from ``old`` to ``new`` (either may be empty for an addition)."""

    what: str
    old: str = ""
    new: str = ""

    def __str__(self):
        if not self.old:
            return f"{self.what}: {shorten(self.new)}" if self.new else self.what
        return f"{self.what}: {shorten(self.old)} {ARROW} {shorten(self.new)}"


def field_changes(model, old, new, exclude=()):
    """The changes between two instances (or historical instances) of ``model``, field by field."""
    changes = []
    for field in compared_fields(model, exclude):
        before, after = getattr(old, field.attname), getattr(new, field.attname)
        if not same(field, before, after):
            changes.append(Change(str(field.verbose_name).capitalize(), show(field, before), show(field, after)))
    return changes


def related_changes(follow, old_rows, new_rows):
    """Rows of one follow added, removed or changed between two revisions, in words."""
    fields = {field.name: field for field in follow.fields}
    changes = []
    for pk in sorted(old_rows.keys() - new_rows.keys()):
        changes.append(Change(f"Removed {follow.verbose} {follow.label(old_rows[pk])}"))
    for pk in sorted(new_rows.keys() - old_rows.keys()):
        row = new_rows[pk]
        details = ", ".join(
            show(fields[name], getattr(row, fields[name].attname), follow.units.get(name, ""))
            for name in ((follow.primary,) if follow.primary else ())
        )
        changes.append(Change(f"Added {follow.verbose} {follow.label(row)}" + (f" ({details})" if details else "")))
    for pk in sorted(old_rows.keys() & new_rows.keys()):
        before, after = old_rows[pk], new_rows[pk]
        for name, field in fields.items():
            old, new = getattr(before, field.attname), getattr(after, field.attname)
            if same(field, old, new):
                continue
            unit = follow.units.get(name, "")
            label = follow.label(after)
            what = label if name == follow.primary else f"{label}, {str(field.verbose_name)}"
            changes.append(Change(what, show(field, old, unit), show(field, new, unit)))
    return changes


def changes_between(model, follows, old, new):
    """Everything that differs between two revisions (``old`` may be None: the first version)."""
    if old is None:
        return []
    changes = field_changes(model, old.entry, new.entry)
    for follow in follows:
        changes.extend(related_changes(follow, old.related[follow.name], new.related[follow.name]))
    return changes


def related_rows(follow, pk, records_until):
    """``{until: {row pk: row}}`` for each moment in ``records_until``, from the follow's history, in one query."""
    history = follow.model.history.filter(**{follow.fk: pk}).order_by("history_date", "history_id")
    moments = sorted({until for until in records_until if until is not None})
    states, state, index = {}, {}, 0
    rows = list(history)
    for until in moments:
        while index < len(rows) and rows[index].history_date < until:
            apply(state, rows[index])
            index += 1
        states[until] = dict(state)
    if None in records_until:
        states[None] = {row.pk: row for row in follow.model._base_manager.filter(**{follow.fk: pk})}
    return states


def apply(state, record):
    row_pk = getattr(record, record.instance_type._meta.pk.attname)
    if record.history_type == "-":
        state.pop(row_pk, None)
    else:
        state[row_pk] = record.instance


def revisions(model, follows, pk, records):
    """The revisions of entry ``pk`` for its ``records`` (any order), their related rows read in one
    query per follow. A record's related rows are those of just before the entry's next record."""
    every = list(model.history.filter(**{model._meta.pk.attname: pk}).order_by("history_date", "history_id"))
    following = {
        record.history_id: (every[index + 1].history_date if index + 1 < len(every) else None)
        for index, record in enumerate(every)
    }
    untils = [following.get(record.history_id) for record in records]
    states = {follow.name: related_rows(follow, pk, untils) for follow in follows}
    return [
        Revision(record, until, {follow.name: states[follow.name][until] for follow in follows})
        for record, until in zip(records, untils, strict=True)
    ]


def current_revision(entry, follows):
    """The entry as it is stored now, as a revision (its record is the entry itself)."""

    class Now:
        instance = entry
        history_date = timezone.now()
        history_user = None

    related = {
        follow.name: {row.pk: row for row in follow.model._base_manager.filter(**{follow.fk: entry.pk})}
        for follow in follows
    }
    return Revision(Now(), None, related)


def readers_see(entry):
    """What readers see of ``entry`` (an instance or historical instance), as a phrase."""
    if entry.status != Status.PUBLISHED or entry.published_at is None:
        return "nothing (a draft)"
    if entry.published_at > timezone.now():
        return f"it from {moment(entry.published_at)} (scheduled)"
    return "it (published)"


def publication_warning(current, target):
    """What a revert to ``target`` would do to what readers see, or "" when it changes nothing for them."""
    if current.status == target.status and same(None, current.published_at, target.published_at):
        return ""
    name = f"“{current}”"
    if current.status != Status.PUBLISHED and target.status != Status.PUBLISHED:
        return ""  # a draft stays a draft: readers see nothing either way
    live_now = current.status == Status.PUBLISHED and current.published_at and current.published_at <= timezone.now()
    if target.status != Status.PUBLISHED or target.published_at is None:
        if live_now:
            return f"This will take {name} off the site: readers will no longer see it."
        return f"This will make {name} a draft again: it will not appear on {moment(current.published_at)}."
    if target.published_at > timezone.now():
        return f"This will schedule {name} for {moment(target.published_at)}: readers see it from then" + (
            ", and no longer until then." if live_now else "."
        )
    if live_now:
        return f"This will change the publication time of {name} to {moment(target.published_at)}."
    return f"This will publish {name}: readers will see it at once."
