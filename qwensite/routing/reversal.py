"""URLs without arguments (or with constant ones), reversed once per process.

A page's layout links the same named URLs on every request (the header's navigation, the
footer, the feeds in the head: 14 on every reader page), and Django's ``reverse`` walks the URL
resolver for each, 20 to 35 microseconds apiece: about 0.2 ms of every page. A name given no
arguments always reverses to the same path for one URLconf, one script prefix and one language
(should the URLs ever be translated), so that path is kept per name, namespace (current app),
URLconf, prefix and language. The key names the resolver object itself, so a request's own
URLconf finds its own paths, and a changed ROOT_URLCONF forgets them all. A name that does not
reverse is never kept: it raises ``NoReverseMatch`` each time, as before. The API's links
(qwensite.rest.fields.Links) reverse a name with a placeholder argument, to put each entry's
own in its place: a constant argument too, kept with the name. A model's own address
(``get_absolute_url``) is made so too (``reverse_slug``)."""

import re
from functools import lru_cache

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import get_resolver, get_script_prefix, get_urlconf, reverse
from django.urls.converters import SlugConverter
from django.utils.translation import get_language

KEPT_PATHS = 512  # names times namespaces times URLconfs: a site has tens
PLACEHOLDER = "987654321"  # a valid slug and a valid id, replaced by each entry's own
SLUG = re.compile(rf"(?:{SlugConverter.regex})\Z")  # what the <slug:...> path converter accepts


def reverse_kept(viewname, current_app=None, where=None, kwargs=()):
    """``reverse(viewname, kwargs=dict(kwargs), current_app=current_app)``, kept per process for
    this URLconf, prefix and language (``where``: ``surroundings()``, which a caller reversing
    several names may read once). ``kwargs`` (pairs) are for constant arguments only, such as a
    placeholder a caller replaces: each value given is kept apart."""
    return _reversed(viewname, current_app, *(where or surroundings()), tuple(kwargs))


def reverse_slug(viewname, slug):
    """``reverse(viewname, kwargs={"slug": slug})`` for a URL whose one argument is a
    ``<slug:slug>``: the name reversed once per process with a placeholder (``reverse_kept``),
    the slug put in its place (10 us, against Django's 35). A slug the converter refuses is
    given to Django's ``reverse``, which refuses it as before (``NoReverseMatch``)."""
    if not isinstance(slug, str) or not SLUG.match(slug):
        return reverse(viewname, kwargs={"slug": slug})
    prefix, suffix = around_argument(viewname)
    return f"{prefix}{slug}{suffix}"


def around_argument(viewname, argument="slug", where=None):
    """The path of ``viewname`` before and after its one ``argument``: (prefix, suffix), from the
    name reversed once per process with a placeholder in its place (``reverse_kept``)."""
    prefix, _, suffix = reverse_kept(viewname, where=where, kwargs=((argument, PLACEHOLDER),)).partition(PLACEHOLDER)
    return prefix, suffix


def surroundings():
    """What a name's path depends on besides the name: the URLconf (its resolver), the script
    prefix and the language of this thread's request."""
    return get_resolver(get_urlconf()), get_script_prefix(), get_language()


@lru_cache(maxsize=KEPT_PATHS)
def _reversed(viewname, current_app, resolver, prefix, language, kwargs):
    return reverse(viewname, urlconf=resolver.urlconf_name, kwargs=dict(kwargs) or None, current_app=current_app)


@receiver(setting_changed)
def _forget_on_urlconf_change(setting, **kwargs):
    if setting == "ROOT_URLCONF":
        _reversed.cache_clear()
