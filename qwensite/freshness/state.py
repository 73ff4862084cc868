"""One content state for conditional requests and cache keys, shared by every app server.

The state lives in the configured cache (Redis in production, so every server agrees) and
holds two tokens and their times:

- ``token`` and ``last_modified``: what anonymous readers see. Only a change readers can see
  renews them (a published entry edited, published or taken back to draft; an author or a
  tag), so a draft save leaves every public ETag, Last-Modified and stored page as it was, and
  tells no visitor when unpublished work happens;
- ``draft_token`` and ``draft_modified``: everything, drafts included, for editors' validators
  and for values derived from the content (``remember``).

Each change also moves the content version in the database (qwensite.freshness.models) in the
edit's own transaction. The cache's copy can be lost or go back in time (a Redis server that
comes back with data saved before an outage, while edits were made without it), so every
process compares it with the database row at most every CONTENT_STATE_RECHECK seconds, and
rebuilds it from the data when they differ. A scheduled entry becoming due counts as a public
change: the state remembers the next due publication time and renews itself once it passes.
"""

import hashlib
import time
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, transaction
from django.db.models import Count, F, Max, Min
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.dispatch import receiver
from django.utils import timezone

from qwensite.editorial.publishing import Publishable, Status
from qwensite.freshness.models import VERSION_ROW, ContentVersion

STATE_KEY = "content-state:v2"
STATE_TIMEOUT = 24 * 60 * 60
WAS_PUBLIC = "_content_was_public"  # set on an instance by pre_save: readers saw it before the save

# The models whose rows readers see, registered by their apps (AppConfig.ready): a save or a
# delete of any of them renews the state.
_tracked = []
# When this process last compared the cached state with the database's content version.
_checked_at = [0.0]


def track(*models):
    """Renew the content state whenever a row of one of ``models`` is saved or deleted."""
    _tracked.extend(model for model in models if model not in _tracked)


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


def _state_from_data():
    """Rebuild the state from the database: its content version, and what each tracked table holds
    (counts and latest times, for readers and for everyone), so a bulk load is seen too."""
    epoch, public, everything, public_changed_at, changed_at = _version()
    public_parts, all_parts, public_times, all_times = [], [], [], []
    for model in _tracked:
        has_updated = any(f.name == "updated_at" for f in model._meta.fields)
        latest = {"t": Max("updated_at")} if has_updated else {}
        stats = model.objects.aggregate(n=Count("pk"), **latest)
        all_parts.append(f"{model._meta.label}:{stats['n']}:{stats.get('t')}")
        all_times.append(stats.get("t"))
        if issubclass(model, Publishable):
            live = model.objects.published().aggregate(n=Count("pk"), t=Max("updated_at"), due=Max("published_at"))
            public_parts.append(f"{model._meta.label}:live:{live['n']}:{live['t']}:{live['due']}")
            public_times += [live["t"], live["due"]]
        else:
            public_parts.append(all_parts[-1])
            public_times.append(stats.get("t"))
    last_modified = _latest(public_changed_at, *public_times) or timezone.now()
    return {
        "token": _digest(epoch, public, *public_parts),
        "draft_token": _digest(epoch, public, everything, *public_parts, *all_parts),
        "last_modified": last_modified,
        "draft_modified": _latest(last_modified, changed_at, *all_times),
        "version": (epoch, public, everything),
        "next_due": _next_due(),
    }


def _rebuilt():
    state = _state_from_data()
    _checked_at[0] = time.monotonic()
    cache.set(STATE_KEY, state, STATE_TIMEOUT)
    return state


def _is_behind(state):
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
    return tuple(state.get("version", ())) != tuple(version)


def _current(state):
    """The stored state, or a rebuilt one when it is missing, stale, or a scheduled entry fell due."""
    if state is None or (state["next_due"] is not None and state["next_due"] <= timezone.now()) or _is_behind(state):
        return _rebuilt()
    return state


def content_state():
    """The current {token, last_modified, draft_token, draft_modified, version, next_due}."""
    return _current(cache.get(STATE_KEY))


def content_state_and(*keys):
    """The content state and the cached values at ``keys`` (a dict, missing keys left out), read
    in one round trip."""
    values = cache.get_many([STATE_KEY, *keys])
    return _current(values.pop(STATE_KEY, None)), values


def remember(name, compute):
    """A value derived from the content, computed once per content state and shared by every
    server (a page count, the years of the catalogue): renewed by any edit, drafts included,
    since an editor's count includes drafts; never stale."""
    if not settings.CONTENT_STATE_SHARED:
        return compute()
    digest = hashlib.blake2b(f"{content_state()['draft_token']}|{name}".encode(), digest_size=16).hexdigest()
    key = f"derived:{digest}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, STATE_TIMEOUT)
    return value


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


def _renew(public):
    """New tokens in the cache for a change made now: both when readers can see it, else the drafts' only."""
    state = cache.get(STATE_KEY) or _state_from_data()
    now = timezone.now()
    renewed = {
        **state,
        "draft_token": uuid.uuid4().hex[:20],
        "draft_modified": now,
        "version": _version()[:3],
        "next_due": _next_due(),
    }
    if public:
        renewed |= {"token": uuid.uuid4().hex[:20], "last_modified": now}
    _checked_at[0] = time.monotonic()
    cache.set(STATE_KEY, renewed, STATE_TIMEOUT)
    return renewed


def content_changed(public=True):
    """Record that content changed now (for writes that send no signals, such as bulk_create)."""
    _bump(public)
    return _renew(public)


class _Renewal:
    """The renewal a transaction owes once it commits: public if any of its changes was."""

    def __init__(self, public):
        self.public = public

    def __call__(self):
        _renew(self.public)


def _on_content_change(public, raw=False):
    if raw:
        # Fixture loading: the state is rebuilt once, after the load, by the next read.
        cache.delete(STATE_KEY)
        return
    # Move the version with the edit, renew the cache now (this process and this transaction see
    # the change) and again once the transaction commits, so that no other server can cache the
    # old content under the new token while the write is still in flight.
    _bump(public)
    _renew(public)
    connection = transaction.get_connection()
    pending = next((func for _, func, _ in connection.run_on_commit if isinstance(func, _Renewal)), None)
    if pending is None:
        transaction.on_commit(_Renewal(public))  # once per transaction, however many rows it writes
    else:
        pending.public = pending.public or public


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


@receiver(pre_save)
def _saving(sender, instance, raw=False, **kwargs):
    if sender in _tracked and isinstance(instance, Publishable) and not raw and instance.pk is not None:
        was_public = sender._default_manager.filter(
            pk=instance.pk, status=Status.PUBLISHED, published_at__lte=timezone.now()
        ).exists()
        setattr(instance, WAS_PUBLIC, was_public)


@receiver(post_save)
def _saved(sender, instance, raw=False, **kwargs):
    if sender in _tracked:
        was_public = getattr(instance, WAS_PUBLIC, False)
        _on_content_change(raw or was_public or _is_public(instance), raw=raw)


@receiver(post_delete)
def _deleted(sender, instance, **kwargs):
    if sender in _tracked:
        _on_content_change(_is_public(instance))


@receiver(m2m_changed)
def _relations_changed(sender, instance, action, **kwargs):
    if action in {"post_add", "post_remove", "post_clear"} and sender._meta.auto_created in _tracked:
        _on_content_change(_is_public(instance))
