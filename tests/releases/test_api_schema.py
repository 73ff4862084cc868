import re

import pytest
import yaml
from django.core.management import call_command
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture
def schema(api_client):
    response = api_client.get(reverse("api:schema"))
    assert response.status_code == 200
    return yaml.safe_load(response.content)


def parameters(schema, path):
    return {p["name"]: p for p in schema["paths"][path]["get"]["parameters"] if p["in"] == "query"}


def test_schema_is_openapi_3_with_every_endpoint(schema):
    assert schema["openapi"].startswith("3.")
    for path in (
        "/api/v1/releases/",
        "/api/v1/releases/{slug}/",
        "/api/v1/releases/{slug}/cite/",
        "/api/v1/sizes/",
        "/api/v1/articles/",
        "/api/v1/articles/{slug}/",
        "/api/v1/authors/",
        "/api/v1/tags/",
    ):
        assert path in schema["paths"]


def test_schema_documents_release_filters_with_types_and_enums(schema):
    params = parameters(schema, "/api/v1/releases/")

    assert params["year"]["schema"]["items"] == {"type": "integer", "minimum": 1900, "maximum": 2999}
    assert params["year"]["explode"] is True
    assert params["architecture"]["schema"]["items"]["enum"] == ["dense", "moe"]
    assert set(params["ordering"]["schema"]["items"]["enum"]) == {
        "release_date",
        "-release_date",
        "name",
        "-name",
        "max_size_b",
        "-max_size_b",
    }
    assert params["page_size"]["schema"] == {"type": "integer", "minimum": 1, "maximum": 100}
    assert re.match(params["min_size"]["schema"]["pattern"], "72B")
    assert not re.match(params["min_size"]["schema"]["pattern"], "big")


def test_schema_documents_errors_and_throttling(schema):
    responses = schema["paths"]["/api/v1/releases/"]["get"]["responses"]

    assert responses["400"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/ValidationError"}
    assert "Retry-After" in responses["429"]["headers"]
    assert "text/csv" in responses["200"]["content"]


def test_schema_lets_anonymous_clients_read_but_not_write(schema):
    releases = schema["paths"]["/api/v1/releases/"]

    assert {} in releases["get"]["security"]
    assert {} not in releases["post"]["security"]


def test_schema_validates_without_warnings(tmp_path):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml"))

    assert (tmp_path / "schema.yaml").read_text().startswith("openapi: 3")


def test_docs_page_loads_its_assets_from_the_site_only(api_client):
    response = api_client.get(reverse("api:docs"))

    html = response.content.decode()
    assert response.status_code == 200
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert any("swagger-ui-bundle.js" in asset for asset in assets)
    assert all(asset.startswith("/") for asset in assets)
    assert "<script>" not in html
    assert "<style>" not in html


def test_docs_initializer_is_a_separate_script(api_client):
    response = api_client.get(reverse("api:docs"), {"script": ""})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    assert "/api/v1/schema/" in response.content.decode()


def test_unknown_api_path_is_a_json_404(api_client):
    response = api_client.delete("/api/v1/nothing-here/")

    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


def test_path_without_its_trailing_slash_is_sent_on_keeping_the_method(api_client):
    response = api_client.get("/api/v1/releases", {"year": 2024})

    assert response.status_code == 308
    assert response["Location"] == "/api/v1/releases/?year=2024"
