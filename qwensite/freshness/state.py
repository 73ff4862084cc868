"""One content state for conditional requests and cache keys, shared by every app server.

The state is a token and a last-modified time, kept in the configured cache (Redis in
production, so every server agrees). Any save or delete of content replaces it at once,
so an edit changes every ETag and every cache key built from it. When the cache has lost
it, it is rebuilt from the data itself. A scheduled entry becoming due counts as a change:
the state remembers the next due publication time and renews itself once that time passes.
"""

import hashlib
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Count, Max, Min
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone

from qwensite.editorial.publishing import Publishable

STATE_KEY = "content-state:v1"
STATE_TIMEOUT = 24 * 60 * 60

# The models whose rows readers see, registered by their apps (AppConfig.ready): a save or a
# delete of any of them renews the state.
_tracked = []


def track(*models):
    """Renew the content state whenever a row of one of ``models`` is saved or deleted."""
    _tracked.extend(model for model in models if model not in _tracked)


def _publishable_models():
    return tuple(model for model in _tracked if issubclass(model, Publishable))


def _next_due():
    times = [model.objects.scheduled().aggregate(t=Min("published_at"))["t"] for model in _publishable_models()]
    times = [t for t in times if t is not None]
    return min(times) if times else None


def _state_from_data():
    """Rebuild the state from the database: latest update, row counts and live counts."""
    parts, latest = [], None
    for model in _tracked:
        has_updated = any(f.name == "updated_at" for f in model._meta.fields)
        stats = model.objects.aggregate(n=Count("pk"), **({"t": Max("updated_at")} if has_updated else {}))
        parts.append(f"{model._meta.label}:{stats['n']}:{stats.get('t')}")
        if stats.get("t") and (latest is None or stats["t"] > latest):
            latest = stats["t"]
    parts += [f"{model._meta.label}:live:{model.objects.published().count()}" for model in _publishable_models()]
    token = hashlib.blake2b("|".join(parts).encode(), digest_size=10).hexdigest()
    due_times = [m.objects.published().aggregate(t=Max("published_at"))["t"] for m in _publishable_models()]
    candidates = [t for t in (latest, *due_times) if t is not None]
    return {
        "token": token,
        "last_modified": max(candidates) if candidates else timezone.now(),
        "next_due": _next_due(),
    }


def _current(state):
    """The stored state, or a rebuilt one when it is missing or a scheduled entry fell due."""
    if state is None or (state["next_due"] is not None and state["next_due"] <= timezone.now()):
        state = _state_from_data()
        cache.set(STATE_KEY, state, STATE_TIMEOUT)
    return state


def content_state():
    """The current {token, last_modified, next_due} of the site's content."""
    return _current(cache.get(STATE_KEY))


def content_state_and(key):
    """The content state and the cached value at ``key``, read in one round trip."""
    values = cache.get_many([STATE_KEY, key])
    return _current(values.get(STATE_KEY)), values.get(key)


def remember(name, compute):
    """A value derived from the content, computed once per content state and shared by every
    server (a page count, the years of the catalogue): renewed by any edit, never stale."""
    if not settings.CONTENT_STATE_SHARED:
        return compute()
    digest = hashlib.blake2b(f"{content_state()['token']}|{name}".encode(), digest_size=16).hexdigest()
    key = f"derived:{digest}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, STATE_TIMEOUT)
    return value


def content_changed():
    """Record that content changed now: new token, new last-modified time."""
    state = {"token": uuid.uuid4().hex[:20], "last_modified": timezone.now(), "next_due": _next_due()}
    cache.set(STATE_KEY, state, STATE_TIMEOUT)
    return state


def _on_content_change(sender, **kwargs):
    if kwargs.get("raw"):
        # Fixture loading: the state is rebuilt once, after the load, by the next read.
        cache.delete(STATE_KEY)
        return
    # Renew now (this process and this transaction see the change) and again once the
    # transaction commits, so that no other server can cache the old content under the
    # new token while the write is still in flight.
    content_changed()
    connection = transaction.get_connection()
    if not any(func is content_changed for _, func, _ in connection.run_on_commit):
        transaction.on_commit(content_changed)  # once per transaction, however many rows it writes


@receiver(post_save)
def _saved(sender, **kwargs):
    if sender in _tracked:
        _on_content_change(sender, **kwargs)


@receiver(post_delete)
def _deleted(sender, **kwargs):
    if sender in _tracked:
        _on_content_change(sender, **kwargs)


@receiver(m2m_changed)
def _relations_changed(sender, action, **kwargs):
    if action in {"post_add", "post_remove", "post_clear"} and sender._meta.auto_created in _tracked:
        _on_content_change(sender)
