"""A corpus of hostile values over every query parameter of every page and endpoint.

Each answer is a 200, or a 400 with a message (JSON naming the parameter in the API, the
page's error list on the site); a well-formed page number past the last page may be a 404.
Never a 500. The API's parameters are read from its own OpenAPI schema, so a parameter added
later is attacked without a change here. Runs with debug off, on each database of the suite.
"""

import pytest
from django.test import Client
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from releases.filters import ReleaseFilter
from releases.models import ModelRelease

pytestmark = pytest.mark.django_db

HOSTILE_VALUES = [
    "",
    ",",
    ",,",
    "2024,",
    ",2024",
    "%",
    "%25",
    "%s%d",
    "%(value)s",
    "{}",
    "{0}",
    "{value!r}",
    "\x00",
    "a\x00b",
    "٢٠٢٤",  # Arabic-Indic digits
    "２０２４",  # fullwidth digits
    "²",
    ",".join(["1"] * 500),
    "9" * 400,
    "-1",
    "0",
    "1e309",
    "NaN",
    "-inf",
    "true,",
    "' OR 1=1--",
    "<script>alert(1)</script>",
    "\u202e\ufeff",
    "a" * 5000,
    "-",
    "--name",
]

# Reader pages and the parameters each accepts (pages that take none are attacked with a made-up one).
PAGE_PARAMETERS = {
    "/releases/": [*ReleaseFilter.base_filters, "page", "page_size"],
    "/releases/compare/": ["r"],
    "/search/": ["q"],
    "/articles/": ["page"],
    "/articles/tags/qwen/": ["page"],
    "/articles/authors/michele-zonca/": ["page"],
    "/": ["x"],
    "/releases/qwen-3/": ["x"],
    "/releases/qwen-3/cite/": ["x"],
    "/feeds/": ["x"],
    "/articles/the-history-of-qwen/": ["x"],
    "/feeds/releases/": ["x"],
    "/releases.ics": ["x"],
    "/sitemap.xml": ["x"],
}


def api_parameters():
    """(path, parameter) for every query parameter of every GET operation in the OpenAPI schema."""
    schema = SchemaGenerator().get_schema(request=None, public=True)
    found = []
    for path, operations in schema["paths"].items():
        operation = operations.get("get")
        if operation is None or "{" in path:
            continue
        for parameter in operation.get("parameters", []):
            if parameter["in"] == "query":
                found.append((path, parameter["name"]))
    return found


@pytest.fixture
def anonymous():
    return Client(raise_request_exception=False)


def assert_answered(response, name, value, json_api):
    assert response.status_code != 500, (name, value)
    if response.status_code == 404:
        assert name == "page", (name, value)
        assert value.isascii(), value
        assert value.isdigit(), value
        return
    assert response.status_code in (200, 400), (name, value, response.status_code)
    if response.status_code == 400:
        if json_api:
            assert response["Content-Type"].startswith("application/json")
            assert name in response.json(), (name, value, response.json())
        else:
            assert "could not" in response.text.lower() or "error" in response.text.lower()


def test_the_schema_lists_the_api_parameters():
    names = {name for _, name in api_parameters()}
    assert {"year", "size", "min_size", "open_weights", "ordering", "page", "page_size", "format"} <= names


@pytest.mark.parametrize("value", HOSTILE_VALUES, ids=range(len(HOSTILE_VALUES)))
def test_no_api_parameter_answers_500(seeded, anonymous, settings, value):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": "100000/minute"}}
    for path, name in api_parameters():
        response = anonymous.get(path, {name: value})
        assert_answered(response, name, value, json_api=True)


@pytest.mark.parametrize("value", HOSTILE_VALUES, ids=range(len(HOSTILE_VALUES)))
def test_no_page_parameter_answers_500(seeded, anonymous, value):
    for path, names in PAGE_PARAMETERS.items():
        for name in names:
            response = anonymous.get(path, {name: value}, follow=True)
            assert_answered(response, name, value, json_api=False)


@pytest.mark.parametrize("path", ["/api/v1/releases/", "/api/v1/sizes/", "/api/v1/articles/", "/releases/"])
def test_repeated_keys_and_every_parameter_at_once_answer(seeded, anonymous, path):
    names = {name for api_path, name in api_parameters() if api_path == path} or set(PAGE_PARAMETERS[path])
    query = "&".join(f"{name}={value}" for name in sorted(names) for value in ("%25", "2024", ",", "%00"))
    response = anonymous.get(f"{path}?{query}")
    assert response.status_code == 400


def test_an_empty_api_filter_value_is_a_400_naming_it(seeded, anonymous):
    for path, name in [("/api/v1/sizes/", "release"), ("/api/v1/releases/", "architecture")]:
        response = anonymous.get(path, {name: ""})
        assert response.status_code == 400
        assert "Give a value" in response.json()[name][0]


def test_an_api_500_is_json(anonymous, settings, monkeypatch):
    from releases import api

    def broken(self, *args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(api.ReleaseViewSet, "list", broken)
    response = anonymous.get("/api/v1/releases/")

    assert response.status_code == 500
    assert response["Content-Type"].startswith("application/json")
    assert response.json() == {"detail": "A server error occurred."}


PARAMETER_TEXT = st.one_of(
    st.text(max_size=40),
    st.lists(st.text(alphabet="0123456789-%,.eE ", max_size=6), max_size=25).map(",".join),
    st.sampled_from(HOSTILE_VALUES),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(query=st.dictionaries(st.sampled_from([*ReleaseFilter.base_filters, "x"]), PARAMETER_TEXT, max_size=6))
def test_the_release_filterset_validates_or_filters_any_query(db, query):
    """Whatever the query, the FilterSet gives form errors or a queryset that evaluates."""
    filterset = ReleaseFilter(query, queryset=ModelRelease.objects.all())
    if filterset.is_valid():
        list(filterset.qs[:5])
        assert "x" not in query
    else:
        assert filterset.errors
        for name, messages in filterset.errors.items():
            assert name in query or name == "__all__"
            assert all(isinstance(message, str) and message for message in messages)
