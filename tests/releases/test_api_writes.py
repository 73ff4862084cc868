import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from qwensite.editorial.publishing import Status
from releases.models import Access, ModelRelease, ReleaseSize
from tests.factories import ArticleFactory, ReleaseFactory, ReleaseSizeFactory, UserFactory

pytestmark = pytest.mark.django_db

LIST = reverse("api:release-list")
SIZES = reverse("api:size-list")


def detail(slug):
    return reverse("api:release-detail", kwargs={"slug": slug})


def size_detail(size):
    return reverse("api:size-detail", kwargs={"pk": size.pk})


@pytest.fixture
def new_release():
    """A complete, valid release as a client would POST it."""
    article = ArticleFactory(slug="history", body="## The future\n\nQwen 4 is coming.\n")
    return {
        "slug": "qwen-4",
        "name": "Qwen 4",
        "release_date": "2026-01-01",
        "date_precision": "month",
        "access": "open_weights",
        "context_length": 262144,
        "kind": "general",
        "summary": "The next generation.",
        "source": {"article": article.slug, "section": "the-future", "quote": "Qwen 4 is coming."},
        # A first publication needs a claim for every stated value (test_provenance covers it).
        "status": "draft",
        "published_at": None,
    }


# Who may write


def test_anonymous_create_is_401_and_stores_nothing(api_client, new_release):
    response = api_client.post(LIST, new_release, format="json")

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert not ModelRelease.objects.filter(slug="qwen-4").exists()


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_anonymous_change_or_delete_is_401(api_client, method):
    release = ReleaseFactory(name="Before")

    response = getattr(api_client, method)(detail(release.slug), {"name": "After"}, format="json")

    assert response.status_code == 401
    release.refresh_from_db()
    assert release.name == "Before"


def test_anonymous_size_write_is_401(api_client):
    release = ReleaseFactory()

    response = api_client.post(SIZES, {"release": release.slug, "label": "7B", "parameters_b": 7}, format="json")

    assert response.status_code == 401
    assert not ReleaseSize.objects.exists()


def test_user_without_model_permissions_gets_403(api_client):
    release = ReleaseFactory(name="Before")
    api_client.force_authenticate(UserFactory())

    response = api_client.patch(detail(release.slug), {"name": "After"}, format="json")

    assert response.status_code == 403
    release.refresh_from_db()
    assert release.name == "Before"


def test_session_write_without_csrf_token_is_403(editor, new_release):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(editor)

    response = client.post(LIST, new_release, format="json")

    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
    assert not ModelRelease.objects.filter(slug="qwen-4").exists()


def test_session_write_with_csrf_token_is_accepted(editor, new_release):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(editor)
    token = "k" * 32
    client.cookies["csrftoken"] = token

    response = client.post(LIST, new_release, format="json", HTTP_X_CSRFTOKEN=token)

    assert response.status_code == 201, response.content


# Releases


def test_editor_creates_a_release(editor_api_client, new_release):
    previous = ReleaseFactory(slug="qwen-3")

    response = editor_api_client.post(LIST, {**new_release, "predecessor": "qwen-3"}, format="json")

    assert response.status_code == 201, response.content
    release = ModelRelease.objects.get(slug="qwen-4")
    assert release.predecessor == previous
    assert release.open_weights is True
    assert release.source_article.slug == "history"
    assert release.source_section == "the-future"
    assert response.json()["source"]["url"] == "http://127.0.0.1:8000/articles/history/#the-future"


def test_unknown_and_read_only_fields_are_not_stored(editor_api_client, new_release):
    payload = {
        **new_release,
        "access": "api_only",
        "open_weights": True,
        "min_size_b": 5,
        "max_size_b": 500,
        "year": 1999,
        "version": 99,
        "updated_at": "2000-01-01T00:00:00Z",
        "sizes": [{"label": "1B", "parameters_b": 1}],
        "favourite_colour": "blue",
    }

    response = editor_api_client.post(LIST, payload, format="json")

    assert response.status_code == 201, response.content
    release = ModelRelease.objects.get(slug="qwen-4")
    assert release.open_weights is False
    assert (release.min_size_b, release.max_size_b) == (None, None)
    assert not release.sizes.exists()
    assert release.updated_at.year != 2000
    assert not hasattr(release, "favourite_colour")


def test_editor_changes_one_field_with_patch(editor_api_client):
    release = ReleaseFactory(name="Qwen 2", context_length=None)

    response = editor_api_client.patch(detail(release.slug), {"context_length": 131072}, format="json")

    assert response.status_code == 200, response.content
    release.refresh_from_db()
    assert (release.name, release.context_length) == ("Qwen 2", 131072)


def test_patching_access_updates_open_weights(editor_api_client):
    release = ReleaseFactory(access=Access.OPEN_WEIGHTS)

    response = editor_api_client.patch(detail(release.slug), {"access": "api_only"}, format="json")

    assert response.json()["open_weights"] is False
    release.refresh_from_db()
    assert release.open_weights is False


def test_patching_the_source_section_keeps_the_article(editor_api_client):
    body = "## Old\n\nSome words about Qwen.\n\n## New\n\nSome words about Qwen.\n"  # the passage in both
    article = ArticleFactory(slug="history", body=body)
    release = ReleaseFactory(source_article=article, source_section="old")

    response = editor_api_client.patch(detail(release.slug), {"source": {"section": "new"}}, format="json")

    assert response.status_code == 200, response.content
    release.refresh_from_db()
    assert (release.source_article.slug, release.source_section) == ("history", "new")


def test_editor_deletes_a_release(editor_api_client):
    release = ReleaseFactory()

    response = editor_api_client.delete(detail(release.slug))

    assert response.status_code == 204
    assert not ModelRelease.objects.filter(pk=release.pk).exists()


# The admin's validation applies


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        (
            {"release_date": "2026-01-15", "date_precision": "month"},
            "release_date",
            "With month precision the date must be the first of the month",
        ),
        ({"status": "published", "published_at": None}, "published_at", "A published entry needs a publication time"),
        ({"access": "open"}, "access", "is not a valid choice"),
        ({"source": {"article": "missing", "section": "x", "quote": "q"}}, "source", "does not exist"),
        ({"slug": "not a slug"}, "slug", "letters, numbers, underscores or hyphens"),
        ({"name": ""}, "name", "may not be blank"),
        ({"context_length": -1}, "context_length", "greater than or equal to 0"),
    ],
)
def test_invalid_release_is_400_with_the_message_and_stores_nothing(
    editor_api_client, new_release, change, field, message
):
    response = editor_api_client.post(LIST, {**new_release, **change}, format="json")

    assert response.status_code == 400
    assert message in str(response.json()[field])
    assert not ModelRelease.objects.filter(slug__in=["qwen-4", "not a slug"]).exists()


def test_draft_with_a_past_publication_time_is_400_on_that_field(editor_api_client, new_release):
    payload = {**new_release, "status": "draft", "published_at": "2020-01-01T00:00:00Z"}

    response = editor_api_client.post(LIST, payload, format="json")

    assert response.status_code == 400
    assert "cannot be scheduled for a time in the past" in response.json()["published_at"][0]
    assert not ModelRelease.objects.filter(slug="qwen-4").exists()


def test_moving_a_drafts_time_into_the_past_is_400(editor_api_client):
    stored = timezone.now() + dt.timedelta(days=3)
    release = ReleaseFactory(status=Status.DRAFT, published_at=stored)

    response = editor_api_client.patch(detail(release.slug), {"published_at": "2020-01-01T00:00:00Z"}, format="json")

    assert response.status_code == 400
    assert "cannot be scheduled for a time in the past" in response.json()["published_at"][0]
    release.refresh_from_db()
    assert release.published_at == stored


def test_draft_keeping_its_stored_past_time_is_accepted(editor_api_client):
    past = timezone.now() - dt.timedelta(days=30)
    release = ReleaseFactory(status=Status.DRAFT, published_at=past)

    response = editor_api_client.patch(detail(release.slug), {"name": "Renamed"}, format="json")

    assert response.status_code == 200, response.content
    release.refresh_from_db()
    assert (release.name, release.published_at) == ("Renamed", past)


def test_source_section_missing_from_the_article_is_400_on_that_field(editor_api_client, new_release):
    payload = {**new_release, "source": {**new_release["source"], "section": "no-such-section"}}

    response = editor_api_client.post(LIST, payload, format="json")

    assert response.status_code == 400
    message = response.json()["source"]["section"][0]
    assert "has no section with the anchor “no-such-section”" in message
    assert "Its sections are: the-future." in message
    assert not ModelRelease.objects.filter(slug="qwen-4").exists()


def test_patching_only_the_article_checks_the_kept_section_against_it(editor_api_client):
    release = ReleaseFactory(source_section="first-section")
    ArticleFactory(slug="other", body="## Elsewhere\n\nText.\n")

    response = editor_api_client.patch(detail(release.slug), {"source": {"article": "other"}}, format="json")

    assert response.status_code == 400
    assert "has no section with the anchor “first-section”" in response.json()["source"]["section"][0]


def test_release_cannot_be_its_own_predecessor(editor_api_client):
    release = ReleaseFactory(slug="loop")

    response = editor_api_client.patch(detail("loop"), {"predecessor": "loop"}, format="json")

    assert response.status_code == 400
    assert response.json()["predecessor"] == ["A release cannot be its own predecessor."]
    release.refresh_from_db()
    assert release.predecessor is None


def test_duplicate_slug_is_400(editor_api_client, new_release):
    ReleaseFactory(slug="qwen-4")

    response = editor_api_client.post(LIST, new_release, format="json")

    assert response.status_code == 400
    assert "slug" in response.json()


@pytest.mark.parametrize(
    ("change", "field"),
    [({"name": 5}, "name"), ({"context_length": "5"}, "context_length"), ({"source": {"quote": 1}}, "source")],
)
def test_values_of_the_wrong_json_type_are_400(editor_api_client, change, field):
    release = ReleaseFactory()

    response = editor_api_client.patch(detail(release.slug), change, format="json")

    assert response.status_code == 400
    assert list(response.json()) == [field]


def test_malformed_json_is_400(editor_api_client):
    response = editor_api_client.generic("POST", LIST, "{not json", content_type="application/json")

    assert response.status_code == 400


def test_form_encoded_body_is_415(editor_api_client, new_release):
    response = editor_api_client.post(LIST, {"name": "x"})

    assert response.status_code == 415


# Sizes, through their own endpoint


def test_editor_adds_a_size_and_the_release_range_follows(editor_api_client):
    release = ReleaseFactory(slug="qwen-2")
    ReleaseSizeFactory(release=release, parameters_b=Decimal("7"))

    response = editor_api_client.post(
        SIZES, {"release": "qwen-2", "label": "Qwen2-72B", "parameters_b": 72}, format="json"
    )

    assert response.status_code == 201, response.content
    assert response.json()["release"] == "qwen-2"
    release.refresh_from_db()
    assert (release.min_size_b, release.max_size_b) == (Decimal("7"), Decimal("72"))


def test_editor_adds_a_moe_size_with_active_parameters(editor_api_client):
    release = ReleaseFactory()

    response = editor_api_client.post(
        SIZES,
        {
            "release": release.slug,
            "label": "A22B",
            "parameters_b": 235,
            "active_parameters_b": 22,
            "architecture": "moe",
        },
        format="json",
    )

    assert response.status_code == 201, response.content
    assert release.sizes.get().active_parameters_b == Decimal("22")


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        (
            {"parameters_b": 7, "active_parameters_b": 8, "architecture": "moe"},
            "Active parameters cannot exceed total parameters.",
        ),
        (
            {"parameters_b": 7, "active_parameters_b": 2, "architecture": "dense"},
            "Only a mixture-of-experts size has a separate active-parameter count.",
        ),
        ({"parameters_b": 0}, "greater than or equal to 0.001"),
        ({"parameters_b": "lots"}, "A valid number is required."),
    ],
)
def test_invalid_size_is_400_with_the_message(editor_api_client, payload, message):
    release = ReleaseFactory()

    response = editor_api_client.post(SIZES, {"release": release.slug, "label": "7B", **payload}, format="json")

    assert response.status_code == 400
    assert message in str(response.json())
    assert not ReleaseSize.objects.exists()


def test_duplicate_size_label_is_400_with_the_constraint_message(editor_api_client):
    size = ReleaseSizeFactory(label="7B")

    response = editor_api_client.post(
        SIZES, {"release": size.release.slug, "label": "7B", "parameters_b": 8}, format="json"
    )

    assert response.status_code == 400
    assert "This release already has a size with that label." in str(response.json())
    assert size.release.sizes.count() == 1


def test_database_constraint_that_slips_past_validation_is_400_and_writes_nothing(editor_api_client, monkeypatch):
    size = ReleaseSizeFactory(label="7B")
    monkeypatch.setattr(ReleaseSize, "full_clean", lambda self, *args, **kwargs: None)

    response = editor_api_client.post(
        SIZES, {"release": size.release.slug, "label": "7B", "parameters_b": 8}, format="json"
    )

    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ["This release already has a size with that label."]}
    assert size.release.sizes.count() == 1


def test_editor_changes_and_deletes_a_size(editor_api_client):
    release = ReleaseFactory()
    size = ReleaseSizeFactory(release=release, parameters_b=Decimal("7"))
    ReleaseSizeFactory(release=release, parameters_b=Decimal("14"))

    assert editor_api_client.patch(size_detail(size), {"parameters_b": 3}, format="json").status_code == 200
    release.refresh_from_db()
    assert release.min_size_b == Decimal("3")
    assert editor_api_client.delete(size_detail(size)).status_code == 204
    release.refresh_from_db()
    assert release.min_size_b == Decimal("14")


def test_sizes_list_filters_by_release(api_client):
    wanted = ReleaseSizeFactory(release=ReleaseFactory(slug="qwen-2"))
    ReleaseSizeFactory(release=ReleaseFactory(slug="qwen-3"))

    response = api_client.get(SIZES, {"release": "qwen-2"})

    assert [row["id"] for row in response.json()["results"]] == [wanted.pk]


def test_sizes_of_a_draft_release_are_hidden_from_anonymous_clients(api_client):
    size = ReleaseSizeFactory(release=ReleaseFactory(status=Status.DRAFT, published_at=None))

    assert api_client.get(SIZES).json()["count"] == 0
    assert api_client.get(size_detail(size)).status_code == 404


# Deletes that would break references


def test_deleting_an_article_that_a_release_cites_is_409(editor_api_client):
    article = ArticleFactory()
    ReleaseFactory(source_article=article, published_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC))

    response = editor_api_client.delete(reverse("api:article-detail", kwargs={"slug": article.slug}))

    assert response.status_code == 409
    assert "Still referenced by" in response.json()["detail"]
    article.refresh_from_db()


def test_a_size_sent_without_architecture_is_not_stated_not_dense(editor_api_client):
    release = ReleaseFactory()

    response = editor_api_client.post(SIZES, {"release": release.slug, "label": "7B", "parameters_b": 7}, format="json")

    assert release.sizes.get().architecture == ""
    assert response.json()["architecture"] is None


def test_size_id_beyond_the_database_integer_range_is_404(api_client):
    response = api_client.get(reverse("api:size-detail", kwargs={"pk": "9" * 30}))

    assert response.status_code == 404


def test_an_edit_racing_another_is_409_and_writes_nothing(editor_api_client, monkeypatch):
    from concurrency.exceptions import RecordModifiedError

    release = ReleaseFactory(name="Before")

    def someone_else_saved_first(self, *args, **kwargs):
        raise RecordModifiedError(target=self)

    monkeypatch.setattr(ModelRelease, "save", someone_else_saved_first)

    response = editor_api_client.patch(detail(release.slug), {"name": "After"}, format="json")

    assert response.status_code == 409
    assert "Someone else changed this entry" in response.json()["detail"]
    assert ModelRelease.objects.get(pk=release.pk).name == "Before"


def test_a_size_written_with_null_licence_and_architecture_stores_not_stated(editor_api_client):
    release = ReleaseFactory()

    response = editor_api_client.post(
        SIZES,
        {"release": release.slug, "label": "7B", "parameters_b": 7, "licence": None, "architecture": None},
        format="json",
    )

    assert response.status_code == 201, response.json()
    size = release.sizes.get()
    assert (size.licence, size.architecture) == ("", "")
    assert (response.json()["licence"], response.json()["architecture"]) == (None, None)
