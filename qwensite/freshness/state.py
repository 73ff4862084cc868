"""The content state for conditional requests and cache keys, shared by every app server.

The state lives in the configured cache (Redis in production, so every server agrees) and is
kept per kind of content (``track(..., kind=...)``: the release catalogue, the articles), so an
edit of an article leaves every stored API list and catalogue page usable. Each kind holds two
tokens and their times:

- ``token`` and ``last_modified``: what anonymous readers see. Only a change readers can see
  renews them (a published entry edited, published or taken back to draft; an author or a
  tag), so a draft save leaves every public ETag, Last-Modified and stored page as it was, and
  tells no visitor when unpublished work happens;
- ``draft_token`` and ``draft_modified``: everything, drafts included, for editors' validators
  and for values derived from the content (``remember``).

A representation names the kinds it shows (settings.CONTENT_KINDS_BY_PATH; anything not listed
shows every kind), and its validators and stored copies are made from those kinds' tokens
(``state_of``). Where the pages of one kind show a few fields of another (a release page names
its article's title and author), the app of those pages says so (``shows``): a change of those
fields, or of whether readers see the row at all, renews that kind too. The state's totals (``token``,
``draft_token`` and their times, over every kind) stay for whoever needs any change.

Each kind's tokens are one cache key, so that two edits of different kinds at once cannot undo
each other; the version and the next due publication are another (STATE_KEY).

Each change also moves the content version in the database (qwensite.freshness.models) in the
edit's own transaction. The cache's copy can be lost or go back in time (a Redis server that
comes back with data saved before an outage, while edits were made without it), so every
process compares it with the database row at most every CONTENT_STATE_RECHECK seconds, and
rebuilds it from the data when they differ. A scheduled entry becoming due counts as a public
change: the state remembers the next due publication time and renews itself once it passes.

Each process keeps the state keys it read, and reads them again only once it is told they may
have been written: with the cache on disk of one machine, by a mark in shared memory that every
write of the state moves after the write (settings.CONTENT_STATE_MARK, qwensite.freshness.mark);
with Redis, by Redis's own invalidation messages (qwensite.freshness.redis.InvalidationWatch).
"""

import hashlib
import threading
import time
import uuid

from django.conf import settings
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import DatabaseError, transaction
from django.db.models import Count, F, Max, Min
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.dispatch import receiver
from django.utils import timezone

from qwensite.editorial.publishing import Publishable, Status
from qwensite.freshness.build import BUILD
from qwensite.freshness.local import LocalStore, forget_local
from qwensite.freshness.mark import SharedMark
from qwensite.freshness.models import VERSION_ROW, ContentVersion


# The version and next due time; without it the state is rebuilt. Each build of the code has a
# state of its own (qwensite.freshness.build), so nothing the code before a deploy drew is served.
def state_keys_of(build):
    """The state's own key, and the prefix of each kind's key (+ a kind: its tokens and times)."""
    return f"content-state:v3:{build}", f"content-state:v3:{build}:kind:"


STATE_KEY, KIND_KEY = state_keys_of(BUILD)
STATE_TIMEOUT = 24 * 60 * 60
WAS_SHOWN = "_content_was_shown"  # set on an instance by pre_save: (public before the save, shown fields)
TIMES = ("token", "last_modified", "draft_token", "draft_modified")


# The models whose rows readers see, registered by their apps (AppConfig.ready), with their
# kind: a save or a delete of any of them renews the state of its kind.
_tracked = {}
# Fields of a tracked model that pages of another kind show: {model: {kind: field names}}.
_shown = {}
# When this process last compared the cached state with the database's content version.
_checked_at = [0.0]
# What tells this process that the cached state may have been written since it read it: the
# machine's mark with the cache on disk (CONTENT_STATE_MARK), Redis's invalidations with Redis
# (its backend's ``watch``); with neither, the state is read at every request. And the state keys
# this process read under the watch's last word: [(mark path, SharedMark)], [(word, {key: value})].
_marks = []
_read_under = [(None, {})]
_remembered = LocalStore(512)  # derived values (remember) this process used last


def _watch():
    path = settings.CONTENT_STATE_MARK
    if path:
        if not _marks or _marks[0][0] != path:
            _marks[:] = [(path, SharedMark(path))]
        return _marks[0][1]
    watch = getattr(cache, "watch", None)
    return watch(STATE_KEY) if watch is not None else None  # every state key starts with STATE_KEY


# The watch's word as this thread's request first read it: a request reads the state as it
# began (its own writes aside, _state_written), so the watch is asked once per request rather
# than at each of a page's reads of the state. Set by request_started and request_finished:
# outside a request (a command, the stored answers' front) it is asked at every read. Each
# request asks again, so none reads a word older than its start, whatever the server interleaves.
_asked = threading.local()
_NOT_YET = object()  # in a request that has not asked the watch yet


def _request_began(**kwargs):
    _asked.word = _NOT_YET


def outside_a_request(**kwargs):
    """From here on this thread reads the state outside a request (request_finished; and the
    stored answers' front, which answers before Django's handler, whatever a request that
    failed to finish left behind)."""
    _asked.word = None


request_started.connect(_request_began)
request_finished.connect(outside_a_request)


def _word_of(watch):
    """The watch's last word (None: not connected, read the cache), once per request."""
    asked = getattr(_asked, "word", None)
    if asked is None:
        return watch.read()
    if asked is _NOT_YET or asked[0] is not watch:
        word = watch.read()  # before the read: a write after it moves it again
        _asked.word = _NOT_YET if word is None else (watch, word)
        return word
    return asked[1]


def _read_state(keys, others=()):
    """The cached values of the state ``keys`` and of ``others`` (missing keys left out), in one
    round trip at most: of the state, what this process read since the watch last moved is not
    read again."""
    watch = _watch()
    word = None if watch is None else _word_of(watch)
    if word is None:
        return cache.get_many([*keys, *others])
    word = (id(watch), word)  # each thread's Redis backend has a watch of its own: words of one only
    seen, values = _read_under[0]
    if seen != word:
        values = {}
        _read_under[0] = (word, values)
    missing = [key for key in keys if key not in values]
    found = cache.get_many([*missing, *others]) if missing or others else {}
    values.update((key, found[key]) for key in missing if key in found)
    return {key: values[key] for key in keys if key in values} | {key: found[key] for key in others if key in found}


def _write_state(values):
    cache.set_many(values, STATE_TIMEOUT)
    _state_written()


def _state_written():
    """After every write of the state: every process reads it again."""
    watch = _watch()
    if watch is not None:
        watch.written()
    _read_under[0] = (None, {})


def forget_state():
    """Read the state from the cache again at the next request (after the cache is cleared)."""
    _read_under[0] = (None, {})


def track(*models, kind):
    """Renew the content state of ``kind`` whenever a row of one of ``models`` is saved or deleted."""
    for model in models:
        _tracked.setdefault(model, kind)


def shows(kind, model, *fields):
    """Pages of ``kind`` show ``fields`` of ``model`` (of another kind), and only rows readers may
    see: a change of one of those fields, or of whether readers see the row, renews ``kind`` too.
    Declared by the app whose pages show them."""
    _shown.setdefault(model, {}).setdefault(kind, set()).update(fields)


def kinds():
    """Every tracked kind of content, sorted."""
    return sorted(set(_tracked.values()))


def kinds_shown_at(path):
    """The kinds of content a representation at ``path`` shows (every kind unless listed)."""
    for prefix, shown in settings.CONTENT_KINDS_BY_PATH:
        if path.startswith(prefix):
            return shown
    return None


def _publishable_models():
    return tuple(model for model in _tracked if issubclass(model, Publishable))


def _next_due():
    times = [model.objects.scheduled().aggregate(t=Min("published_at"))["t"] for model in _publishable_models()]
    times = [t for t in times if t is not None]
    return min(times) if times else None


def _version():
    """(epoch, public, everything, public_changed_at, changed_at) of the database's content version."""
    row = (
        ContentVersion.objects.filter(pk=VERSION_ROW)
        .values_list("epoch", "public", "everything", "public_changed_at", "changed_at")
        .first()
    )
    return row or ("", 0, 0, None, None)


def _digest(*parts):
    return hashlib.blake2b("|".join(map(str, parts)).encode(), digest_size=10).hexdigest()


def _latest(*times):
    times = [t for t in times if t is not None]
    return max(times) if times else None


def _table_stats(model):
    """What a tracked table holds, for everyone and for readers: (everything, its latest time,
    what readers see, their latest times), counts and latest changes."""
    label = model._meta.label
    has_updated = any(f.name == "updated_at" for f in model._meta.fields)
    stats = model.objects.aggregate(n=Count("pk"), **({"t": Max("updated_at")} if has_updated else {}))
    every = f"{label}:{stats['n']}:{stats.get('t')}"
    if not issubclass(model, Publishable):
        return every, stats.get("t"), every, [stats.get("t")]
    live = model.objects.published().aggregate(n=Count("pk"), t=Max("updated_at"), due=Max("published_at"))
    return every, stats.get("t"), f"{label}:live:{live['n']}:{live['t']}:{live['due']}", [live["t"], live["due"]]


def _kinds_from_data():
    """Each kind's tokens and times rebuilt from the database: its content version, what each
    tracked table holds (counts and latest times, for readers and for everyone), so a bulk load
    is seen too, and what readers see of the tables of other kinds its pages show (``shows``), so
    an entry of another kind coming due, which no edit announces, is seen by its pages too."""
    epoch, public, everything, public_changed_at, changed_at = _version()
    parts = {kind: {"public": [], "all": [], "public_times": [], "all_times": []} for kind in kinds()}
    tables = {model: _table_stats(model) for model in {**_tracked, **_shown}}
    for model, kind in _tracked.items():
        found = parts[kind]
        every, every_time, seen, seen_times = tables[model]
        found["all"].append(every)
        found["all_times"].append(every_time)
        found["public"].append(seen)
        found["public_times"] += seen_times
    for model, shown_by in _shown.items():
        _, _, seen, seen_times = tables[model]
        for kind in shown_by.keys() & parts.keys():
            parts[kind]["public"].append(f"shows:{seen}")
            parts[kind]["public_times"] += seen_times
    every_public_time = [t for found in parts.values() for t in found["public_times"]]
    overall = _latest(public_changed_at, *every_public_time) or timezone.now()
    built = {}
    for kind, found in parts.items():
        last_modified = _latest(public_changed_at, *found["public_times"]) or overall
        built[kind] = {
            "token": _digest(BUILD, epoch, public, *found["public"]),
            "draft_token": _digest(BUILD, epoch, public, everything, *found["public"], *found["all"]),
            "last_modified": last_modified,
            "draft_modified": _latest(last_modified, changed_at, *found["all_times"]),
        }
    return built


def _assembled(meta, by_kind):
    """The state: the version, the next due time, each kind's tokens, and their totals."""
    totals = {
        "token": _digest(*(by_kind[kind]["token"] for kind in sorted(by_kind))),
        "draft_token": _digest(*(by_kind[kind]["draft_token"] for kind in sorted(by_kind))),
        "last_modified": _latest(*(entry["last_modified"] for entry in by_kind.values())),
        "draft_modified": _latest(*(entry["draft_modified"] for entry in by_kind.values())),
    }
    return {**meta, **totals, "kinds": by_kind}


def _rebuilt():
    # The shared state was lost (a cache cleared, flushed or emptied by evictions) or is behind
    # the data: what this process keeps beside the cache is dropped with it (other processes keep
    # theirs until they rebuild: harmless, since each key names its value, qwensite.freshness.local).
    forget_local()
    by_kind = _kinds_from_data()
    meta = {"version": _version()[:3], "next_due": _next_due()}
    _checked_at[0] = time.monotonic()
    _write_state({STATE_KEY: meta, **{KIND_KEY + kind: entry for kind, entry in by_kind.items()}})
    return _assembled(meta, by_kind)


def _is_behind(meta):
    """Whether the cached state was made for another content version than the database's.

    Checked at most every CONTENT_STATE_RECHECK seconds per process; without the database
    (an outage) the cached state is kept, so stored pages can still be served."""
    now = time.monotonic()
    if now - _checked_at[0] < settings.CONTENT_STATE_RECHECK:
        return False
    _checked_at[0] = now
    try:
        version = _version()[:3]
    except DatabaseError:
        return False
    return tuple(meta.get("version", ())) != tuple(version)


def _state_keys(shown=None):
    return [STATE_KEY, *(KIND_KEY + kind for kind in (kinds() if shown is None else shown))]


def _current(values, shown=None):
    """The state of the kinds ``shown`` (every kind when None) from the cached values (popped from
    ``values``), or a rebuilt one when a part is missing or stale, or a scheduled entry fell due."""
    meta = values.pop(STATE_KEY, None)
    by_kind = {kind: values.pop(KIND_KEY + kind, None) for kind in (kinds() if shown is None else shown)}
    if (
        meta is None
        or None in by_kind.values()
        or (meta["next_due"] is not None and meta["next_due"] <= timezone.now())
        or _is_behind(meta)
    ):
        return _rebuilt()
    if shown is not None:
        return {**meta, "kinds": by_kind}  # what state_of reads: the totals would be of these kinds only
    return _assembled(meta, by_kind)


def content_state():
    """The current {token, last_modified, draft_token, draft_modified, version, next_due, kinds}."""
    return content_state_and()[0]


def content_state_and(*keys, shown=None):
    """The state of the kinds ``shown`` (``state_of``; the whole state when None) and the cached
    values at ``keys`` (a dict, missing keys left out), in one round trip at most: of the state,
    only the keys of the kinds shown are read, and only once the watch moved; so none at all for
    a page whose stored copy this process keeps."""
    values = _read_state(_state_keys(shown), keys)
    return state_of(_current(values, shown), shown), values


def state_of(state, shown=None):
    """{token, last_modified, draft_token, draft_modified} of the kinds ``shown`` (every kind when
    None): what a representation showing them is validated and stored under."""
    if shown is None:
        return state
    entries = [state["kinds"][kind] for kind in shown]
    if len(entries) == 1:
        return entries[0]
    return {
        "token": _digest(*(entry["token"] for entry in entries)),
        "draft_token": _digest(*(entry["draft_token"] for entry in entries)),
        "last_modified": _latest(*(entry["last_modified"] for entry in entries)),
        "draft_modified": _latest(*(entry["draft_modified"] for entry in entries)),
    }


def remember(name, compute, shown=None):
    """A value derived from the content of the kinds ``shown`` (every kind when None), computed
    once per state of those kinds and shared by every server (a page count, the years of the
    catalogue): renewed by any edit of them, drafts included, since an editor's count includes
    drafts; never stale. Each process keeps the values it used last in memory too
    (qwensite.freshness.local), under the same key: callers must not change what they get."""
    if not settings.CONTENT_STATE_SHARED:
        return compute()
    token = content_state_and(shown=shown)[0]["draft_token"]  # of the kinds shown alone
    digest = hashlib.blake2b(f"{token}|{name}".encode(), digest_size=16).hexdigest()
    key = f"derived:{digest}"
    return _remembered.through(key, compute, STATE_TIMEOUT)  # the key names the state: what is kept is current


def _bump(public):
    """Move the database's content version, in the caller's transaction."""
    now = timezone.now()
    changes = {"everything": F("everything") + 1, "changed_at": now}
    if public:
        changes |= {"public": F("public") + 1, "public_changed_at": now}
    if not ContentVersion.objects.filter(pk=VERSION_ROW).update(**changes):
        ContentVersion.objects.create(
            pk=VERSION_ROW, everything=1, changed_at=now, public=int(public), public_changed_at=now if public else None
        )


def _renew(changes):
    """New tokens in the cache for a change made now, for each kind in ``changes`` ({kind: public}):
    both tokens where readers can see the change, else the drafts' only. Only those kinds' keys
    (and the version) are written, so a concurrent edit of another kind is not undone."""
    values = cache.get_many(_state_keys())
    by_kind = {kind: values.get(KIND_KEY + kind) for kind in kinds()}
    rebuilt = STATE_KEY not in values or None in by_kind.values()
    if rebuilt:
        by_kind = _kinds_from_data()
    now = timezone.now()
    for kind, public in changes.items():
        renewed = {**by_kind[kind], "draft_token": uuid.uuid4().hex[:20], "draft_modified": now}
        if public:
            renewed |= {"token": uuid.uuid4().hex[:20], "last_modified": now}
        by_kind[kind] = renewed
    meta = {"version": _version()[:3], "next_due": _next_due()}
    written = by_kind if rebuilt else {kind: by_kind[kind] for kind in changes}
    _checked_at[0] = time.monotonic()
    _write_state({STATE_KEY: meta, **{KIND_KEY + kind: entry for kind, entry in written.items()}})
    return _assembled(meta, by_kind)


def content_changed(public=True, kinds_changed=None):
    """Record that content of ``kinds_changed`` (every kind when None) changed now, for writes
    that send no signals, such as bulk_create."""
    _bump(public)
    return _renew(dict.fromkeys(kinds_changed or kinds(), public))


class _Renewal:
    """The renewal a transaction owes once it commits: for each kind it changed, public if any of
    its changes of that kind was."""

    def __init__(self, changes):
        self.changes = dict(changes)

    def add(self, changes):
        for kind, public in changes.items():
            self.changes[kind] = self.changes.get(kind, False) or public

    def __call__(self):
        _renew(self.changes)


def _on_content_change(changes, raw=False):
    if raw:
        # Fixture loading: the state is rebuilt once, after the load, by the next read.
        cache.delete(STATE_KEY)
        _state_written()
        return
    # Move the version with the edit, renew the cache now (this process and this transaction see
    # the change) and again once the transaction commits, so that no other server can cache the
    # old content under the new token while the write is still in flight.
    _bump(any(changes.values()))
    _renew(changes)
    connection = transaction.get_connection()
    pending = next((func for _, func, _ in connection.run_on_commit if isinstance(func, _Renewal)), None)
    if pending is None:
        transaction.on_commit(_Renewal(changes))  # once per transaction, however many rows it writes
    else:
        pending.add(changes)


def _is_public(instance):
    """Whether readers see ``instance`` now: a published, due entry; a row of one (a release's size);
    any other tracked row (an author, a tag) has a public page of its own."""
    if isinstance(instance, Publishable):
        return instance.is_published
    parents = [
        getattr(instance, field.name)
        for field in instance._meta.concrete_fields
        if field.is_relation and field.many_to_one and issubclass(field.related_model, Publishable)
    ]
    return not parents or any(parent is not None and parent.is_published for parent in parents)


def _shown_columns(model):
    """The columns of ``model`` that pages of other kinds show."""
    names = {name for fields in _shown.get(model, {}).values() for name in fields}
    return sorted(model._meta.get_field(name).attname for name in names)


@receiver(pre_save)
def _saving(sender, instance, raw=False, **kwargs):
    """Note what readers saw of the row before the save: whether they saw it, and the fields that
    pages of other kinds show (one query, for an existing row of a model that needs either)."""
    if sender not in _tracked or raw or instance.pk is None:
        return
    publishable = isinstance(instance, Publishable)
    if not publishable and sender not in _shown:
        return
    columns = _shown_columns(sender)
    publication = ("status", "published_at") if publishable else ()
    before = sender._default_manager.filter(pk=instance.pk).values(*columns, *publication).first()
    was_public = bool(
        publishable
        and before is not None
        and before["status"] == Status.PUBLISHED
        and before["published_at"] is not None
        and before["published_at"] <= timezone.now()
    )
    setattr(instance, WAS_SHOWN, (was_public, before))


def _changes(kind, instance, was_public, before):
    """{kind: public} of a saved row: its own kind, and each kind whose pages show a field that
    changed, or whether readers see the row (a new row counts as changed)."""
    public = was_public or _is_public(instance)
    changes = {kind: public}
    for other, fields in _shown.get(type(instance), {}).items():
        columns = [instance._meta.get_field(name).attname for name in fields]
        if (
            before is None
            or was_public != _is_public(instance)
            or any(before[column] != getattr(instance, column) for column in columns)
        ):
            changes[other] = public
    return changes


@receiver(post_save)
def _saved(sender, instance, raw=False, **kwargs):
    kind = _tracked.get(sender)
    if kind is None:
        return
    if raw:
        _on_content_change({}, raw=True)
        return
    was_public, before = getattr(instance, WAS_SHOWN, (False, None))
    _on_content_change(_changes(kind, instance, was_public, before))


@receiver(post_delete)
def _deleted(sender, instance, **kwargs):
    kind = _tracked.get(sender)
    if kind is not None:
        public = _is_public(instance)
        _on_content_change(dict.fromkeys([kind, *_shown.get(sender, {})], public))


@receiver(m2m_changed)
def _relations_changed(sender, instance, action, **kwargs):
    kind = _tracked.get(sender._meta.auto_created)
    if action in {"post_add", "post_remove", "post_clear"} and kind is not None:
        _on_content_change({kind: _is_public(instance)})
