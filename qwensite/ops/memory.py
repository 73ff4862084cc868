"""What a worker process keeps for its life, set aside from the cyclic garbage collector.

A process's first requests load what it keeps until it ends: Django's URL resolvers and compiled
templates, the site's compiled lists and kept rows, the modules themselves, some 130,000
objects. CPython's full collection walks every one of them again (116 ms here), about once per
thousand cache-cold requests: 0.1 ms of each request's time, and one request in a thousand that
waits the whole of it. After a process's first ``GC_FREEZE_AFTER_REQUESTS`` requests (settings;
0 leaves the collector as it is), a collection clears what is garbage by then and
``gc.freeze()`` moves what is left to the permanent generation, which no collection walks: "to
speed up collection", as CPython's documentation puts it. What the process makes from then on is
collected as before; an object frozen that becomes garbage later is freed by its reference count,
as most are (only one caught in a reference cycle stays), so the cost is bounded by what the
process held once.
"""

import gc
import threading

from django.conf import settings
from django.core.signals import request_finished

_lock = threading.Lock()
_finished = 0  # requests this process has finished, until it froze what it keeps


def freeze_after_warm_up(sender=None, **kwargs):
    """A ``request_finished`` receiver: at the process's GC_FREEZE_AFTER_REQUESTS-th request,
    collect, then freeze what is left; it takes itself off the signal then."""
    global _finished
    with _lock:
        _finished += 1
        if _finished != settings.GC_FREEZE_AFTER_REQUESTS:
            return
    request_finished.disconnect(freeze_after_warm_up)
    gc.collect()
    gc.freeze()


def watch_warm_up():
    """Connect the receiver, where the settings ask for it (at start-up: AppConfig.ready)."""
    if settings.GC_FREEZE_AFTER_REQUESTS > 0:
        request_finished.connect(freeze_after_warm_up)
