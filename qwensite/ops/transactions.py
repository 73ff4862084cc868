"""The reader's pages, and the API's reads, run outside a transaction: they only read.

ATOMIC_REQUESTS (settings) wraps every view in a transaction, so that the writes of a request
commit together or not at all. A page that only reads gains nothing from one on PostgreSQL (each
statement reads what was committed when it ran, in a transaction or not, at READ COMMITTED) and
loses much on SQLite: its transactions begin IMMEDIATE (settings: a writer takes the write lock
before it reads, so that two writers never deadlock upgrading their locks), so every page held
the database's write lock while it was rendered, the worker processes rendered pages one at a
time, and each page cost two statements more (BEGIN, COMMIT).

``reading(urlpatterns)`` marks the views of reader pages ``non_atomic_requests``. It accepts only
class-based views that answer nothing but GET, HEAD and OPTIONS, so a view given a handler for a
write later fails at startup instead of writing outside a transaction. A function view (or a
feed, or Django's sitemap views), whose methods cannot be read from it, is marked by
``safe_reads``, which also restricts it to GET and HEAD (Django's ``require_safe``).

The API's views answer reads and writes alike, so ATOMIC_REQUESTS, which decides per view,
cannot tell them apart: ``WritesInTransaction`` takes them out of it and runs each request of
another method in a transaction of its own, as ATOMIC_REQUESTS would (DRF's exception handler
rolls it back on an error answer, as it does the request's).
"""

from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.views.decorators.http import require_safe

READING_METHODS = frozenset({"get", "head", "options"})


def only_reads(view):
    """``view`` (from ``as_view()``) without a transaction, once it is known to answer reads only."""
    view_class = getattr(view, "view_class", None)
    if view_class is None:
        raise ImproperlyConfigured(f"{view!r} is not a class-based view: which methods it answers is not known.")
    writes = sorted(
        method
        for method in view_class.http_method_names
        if method not in READING_METHODS and hasattr(view_class, method)
    )
    if writes:
        raise ImproperlyConfigured(
            f"{view_class.__qualname__} answers {', '.join(m.upper() for m in writes)}: its writes need "
            "the request's transaction, so it cannot be marked as only reading."
        )
    return transaction.non_atomic_requests(view)


def safe_reads(view):
    """A view that is not class-based, answering GET and HEAD alone (any other method is a 405)
    and without a transaction: what it answers only reads."""
    return transaction.non_atomic_requests(require_safe(view))


def reading(urlpatterns):
    """The URL patterns, each view marked ``only_reads``."""
    for pattern in urlpatterns:
        pattern.callback = only_reads(pattern.callback)
    return urlpatterns


class WritesInTransaction:
    """A DRF view (or viewset) whose reads run outside a transaction and whose other requests
    each run in one: the view is ``non_atomic_requests``, its dispatch atomic for writes.

    A read made inside a caller's transaction (a test's) gets a savepoint, as ATOMIC_REQUESTS
    gives it there: DRF's exception handler rolls back the transaction it finds open, taking it
    for the request's, and must undo only what the request did."""

    @classmethod
    def as_view(cls, *args, **kwargs):
        return transaction.non_atomic_requests(super().as_view(*args, **kwargs))

    def dispatch(self, request, *args, **kwargs):
        if request.method.lower() in READING_METHODS and not transaction.get_connection().in_atomic_block:
            return super().dispatch(request, *args, **kwargs)
        with transaction.atomic():
            return super().dispatch(request, *args, **kwargs)
