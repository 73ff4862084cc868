"""A list parameter repeated means OR, like its comma form; a single value given twice is a 400."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

CATALOGUE = reverse("releases:list")
RELEASES_API = reverse("api:release-list")


def page_slugs(response):
    return sorted(release.slug for release in response.context["releases"])


def api_slugs(response):
    return sorted(release["slug"] for release in response.json()["results"])


def test_repeated_years_on_the_catalogue_equal_the_comma_form(client, seeded):
    repeated = client.get(f"{CATALOGUE}?year=2024&year=2025&page_size=100")
    comma = client.get(f"{CATALOGUE}?year=2024,2025&page_size=100")

    assert repeated.status_code == comma.status_code == 200
    assert page_slugs(repeated) == page_slugs(comma)
    assert len(page_slugs(repeated)) == 9
    assert page_slugs(repeated) != page_slugs(client.get(f"{CATALOGUE}?year=2025"))


def test_repeated_years_in_the_api_equal_the_comma_form(api_client, seeded):
    repeated = api_client.get(f"{RELEASES_API}?year=2024&year=2025&page_size=100")
    comma = api_client.get(f"{RELEASES_API}?year=2024,2025&page_size=100")

    assert repeated.status_code == comma.status_code == 200
    assert repeated.json()["count"] == comma.json()["count"] == 9
    assert api_slugs(repeated) == api_slugs(comma)


@pytest.mark.parametrize(
    ("repeated", "comma"),
    [
        ("kind=coder&kind=math", "kind=coder,math"),
        ("open_weights=true&open_weights=false", "open_weights=true,false"),
        ("architecture=moe&architecture=dense", "architecture=moe,dense"),
        ("year=2023&year=2024,2025", "year=2023,2024,2025"),
    ],
)
def test_every_list_filter_takes_repeated_keys_as_or(api_client, client, seeded, repeated, comma):
    api = api_client.get(f"{RELEASES_API}?{repeated}&page_size=100")
    page = client.get(f"{CATALOGUE}?{repeated}&page_size=100")

    assert api_slugs(api) == api_slugs(api_client.get(f"{RELEASES_API}?{comma}&page_size=100"))
    assert page_slugs(page) == page_slugs(client.get(f"{CATALOGUE}?{comma}&page_size=100"))
    assert api_slugs(api) == page_slugs(page)


def test_repeated_keys_work_on_other_endpoints_too(api_client, seeded):
    repeated = api_client.get(f"{reverse('api:size-list')}?release=qwen-2&release=qwen-3&page_size=100")
    comma = api_client.get(f"{reverse('api:size-list')}?release=qwen-2,qwen-3&page_size=100")

    assert repeated.status_code == 200
    assert repeated.json()["count"] == comma.json()["count"] > 0


@pytest.mark.parametrize("query", ["search=qwen&search=coder", "min_size=1&min_size=7", "page=1&page=2"])
def test_a_single_value_given_twice_is_a_400_naming_it_in_the_api(api_client, seeded, query):
    name = query.split("=")[0]

    response = api_client.get(f"{RELEASES_API}?{query}")

    assert response.status_code == 400
    assert response.json()[name] == ["Give this parameter once: it takes a single value."]


@pytest.mark.parametrize("query", ["search=qwen&search=coder", "max_size=7&max_size=72", "page=1&page=2"])
def test_a_single_value_given_twice_is_an_error_on_the_catalogue(client, seeded, query):
    response = client.get(f"{CATALOGUE}?{query}")

    assert response.status_code == 400
    assert "Give this parameter once: it takes a single value." in response.text


def test_a_repeated_search_query_is_an_error_on_the_search_page(client, seeded):
    response = client.get(f"{reverse('search')}?q=qwen&q=coder")

    assert response.status_code == 400
    assert "q: Give this parameter once" in response.text


def test_a_repeated_page_of_the_article_list_is_an_error(client, seeded):
    response = client.get(f"{reverse('articles:list')}?page=1&page=1")

    assert response.status_code == 400
    assert "Give this parameter once" in response.text


def test_the_catalogue_year_control_ticks_every_chosen_year(client, seeded):
    response = client.get(f"{CATALOGUE}?year=2024&year=2025")

    assert 'type="checkbox" id="filter-year" name="year" value="2025" checked' in response.text
    assert 'name="year" value="2024" checked' in response.text
    assert 'name="year" value="2023">' in response.text


def test_the_catalogue_shows_a_year_its_menu_lacks_ticked(client, seeded):
    response = client.get(f"{CATALOGUE}?year=2019&year=2024")

    assert 'name="year" value="2019" checked' in response.text


def test_the_filter_form_lands_on_the_results(client, seeded):
    response = client.get(CATALOGUE)

    assert f'action="{CATALOGUE}#results"' in response.text
    assert '<section id="results"' in response.text


def test_the_schema_documents_repeated_keys_for_list_filters(api_client):
    schema = api_client.get(reverse("api:schema"), HTTP_ACCEPT="application/vnd.oai.openapi+json").json()

    parameters = {p["name"]: p for p in schema["paths"]["/api/v1/releases/"]["get"]["parameters"]}
    assert parameters["year"]["style"] == "form"
    assert parameters["year"]["explode"] is True
    assert "repeat" in parameters["year"]["description"].lower()
    assert "explode" not in parameters["search"]
