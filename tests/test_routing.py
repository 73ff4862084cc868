"""``{% url %}`` keeps the paths of URLs without arguments per process (qwensite.routing)."""

import sys
import types
from unittest import mock

import pytest
from django.http import HttpResponse
from django.template import Context, Engine, RequestContext, engines
from django.test import RequestFactory, override_settings
from django.urls import NoReverseMatch, clear_script_prefix, path, reverse, set_script_prefix, set_urlconf

from qwensite.routing import reversal
from qwensite.routing.reversal import reverse_kept


def site_template(source):
    return engines["django"].engine.from_string(source)


def django_template(source):
    """The same source under Django's own ``{% url %}`` (an engine without the project's builtin)."""
    return Engine(builtins=[]).from_string(source)


@pytest.fixture(autouse=True)
def nothing_kept():
    reversal._reversed.cache_clear()
    yield
    reversal._reversed.cache_clear()


@pytest.mark.parametrize(
    "source",
    [
        "{% url 'home' %}",
        "{% url 'releases:list' %}|{% url 'releases:compare' %}",
        "{% url 'releases:detail' 'qwen-2' %}",  # arguments: Django's own path
        "{% url 'releases:detail' slug='qwen-2' %}",
        "{% url 'feeds' as feeds %}[{{ feeds }}]",
        "{% url 'no-such-page' as missing %}[{{ missing }}]",  # as Django: empty, no error
        "{% with name='articles:list' %}{% url name %}{% endwith %}",
    ],
)
def test_the_tag_writes_what_djangos_own_writes(source):
    for _ in range(2):  # reversed, then kept
        assert site_template(source).render(Context()) == django_template(source).render(Context())


def test_a_name_that_does_not_reverse_raises_each_time():
    for _ in range(2):
        with pytest.raises(NoReverseMatch):
            site_template("{% url 'no-such-page' %}").render(Context())


def test_a_path_is_reversed_once_then_kept():
    template = site_template("{% url 'releases:list' %}{% url 'releases:list' %}")

    with mock.patch.object(reversal, "reverse", wraps=reverse) as reversing:
        first, second = template.render(Context()), template.render(Context())

    assert first == second == "/releases/" * 2
    assert reversing.call_count == 1


def test_the_request_namespace_is_the_current_app_as_in_djangos_tag():
    request = RequestFactory().get("/admin/")
    request.current_app = "admin"
    source = "{% url 'admin:index' %}"

    kept = site_template(source).render(RequestContext(request))

    assert kept == Engine(builtins=[]).from_string(source).render(RequestContext(request)) == "/admin/"


def test_a_script_prefix_is_part_of_the_kept_path():
    template = site_template("{% url 'releases:list' %}")
    assert template.render(Context()) == "/releases/"

    set_script_prefix("/mounted/")
    try:
        assert template.render(Context()) == "/mounted/releases/"
    finally:
        clear_script_prefix()
    assert template.render(Context()) == "/releases/"


@pytest.fixture
def other_urlconf():
    """A URLconf module whose ``home`` is at /elsewhere/ (importable by name while the test runs)."""
    other = types.ModuleType("tests._routing_other_urls")
    other.urlpatterns = [path("elsewhere/", lambda request: HttpResponse(), name="home")]
    sys.modules[other.__name__] = other
    yield other.__name__
    del sys.modules[other.__name__]


def test_another_urlconf_gives_its_own_path(other_urlconf):
    assert reverse_kept("home") == "/"
    with override_settings(ROOT_URLCONF=other_urlconf):
        assert reverse_kept("home") == "/elsewhere/"
    assert reverse_kept("home") == "/"


def test_a_requests_own_urlconf_gives_its_own_path(other_urlconf):
    """A request may name its own URLconf (``request.urlconf``, which Django sets for the thread)."""
    assert reverse_kept("home") == "/"
    set_urlconf(other_urlconf)
    try:
        assert reverse_kept("home") == "/elsewhere/"
    finally:
        set_urlconf(None)
    assert reverse_kept("home") == "/"


def test_a_page_reads_the_urlconf_prefix_and_language_once_for_all_its_urls(monkeypatch):
    from qwensite.routing import tags

    read = []
    monkeypatch.setattr(tags, "surroundings", lambda: read.append(1) or reversal.surroundings())
    source = "{% url 'home' %}|{% url 'releases:list' %}|{% url 'feeds' %}"

    rendered = site_template(source).render(Context({}))

    assert rendered == django_template(source).render(Context({}))
    assert read == [1]


def test_a_constant_argument_is_kept_with_its_name():
    with mock.patch.object(reversal, "reverse", wraps=reverse) as reversing:
        first = reverse_kept("releases:detail", kwargs=(("slug", "987654321"),))
        second = reverse_kept("releases:detail", kwargs=(("slug", "987654321"),))
        other = reverse_kept("releases:detail", kwargs=(("slug", "qwen-2"),))

    assert first == second == reverse("releases:detail", kwargs={"slug": "987654321"})
    assert other == reverse("releases:detail", kwargs={"slug": "qwen-2"})
    assert reversing.call_count == 2


def test_a_language_block_reads_the_surroundings_again(monkeypatch):
    from qwensite.routing import tags

    read = []
    monkeypatch.setattr(tags, "surroundings", lambda: read.append(1) or reversal.surroundings())
    source = "{% load i18n %}{% url 'home' %}|{% language 'fr' %}{% url 'feeds' %}{% endlanguage %}|{% url 'home' %}"

    rendered = site_template(source).render(Context({}))

    assert rendered == f"{reverse('home')}|{reverse('feeds')}|{reverse('home')}"
    assert read == [1, 1, 1]  # English, French, English again


@pytest.mark.parametrize(
    "name", ["releases:detail", "releases:family", "articles:detail", "articles:tag", "articles:author"]
)
@pytest.mark.parametrize("slug", ["qwen-2-5", "Qwen_3", "7", "987654321", "a", 7, None])
def test_a_slug_address_is_djangos(name, slug):
    assert reversal.reverse_slug(name, slug) == reverse(name, kwargs={"slug": slug})


@pytest.mark.parametrize("slug", ["", "qwen 2", "qwen/2", "通义千问", "qwen-2\n"])
def test_a_slug_the_converter_refuses_is_refused_as_django_refuses_it(slug):
    with pytest.raises(NoReverseMatch):
        reverse("releases:detail", kwargs={"slug": slug})
    with pytest.raises(NoReverseMatch):
        reversal.reverse_slug("releases:detail", slug)


def test_a_slug_address_follows_the_script_prefix():
    reversal.reverse_slug("releases:detail", "qwen-2")
    set_script_prefix("/mirror/")
    try:
        assert reversal.reverse_slug("releases:detail", "qwen-2") == "/mirror/releases/qwen-2/"
    finally:
        clear_script_prefix()
    assert reversal.reverse_slug("releases:detail", "qwen-2") == "/releases/qwen-2/"


def test_a_slug_address_is_reversed_once_per_name(monkeypatch):
    reversed_ = []
    real = reversal.reverse
    monkeypatch.setattr(reversal, "reverse", lambda *args, **kwargs: reversed_.append(args[0]) or real(*args, **kwargs))

    paths = [reversal.reverse_slug("releases:detail", slug) for slug in ("qwen-2", "qwen-3", "qwen-3-max")]

    assert paths == ["/releases/qwen-2/", "/releases/qwen-3/", "/releases/qwen-3-max/"]
    assert reversed_ == ["releases:detail"]
