"""The release admin: sizes inline, validation messages on the right fields, lists and filters."""

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from qwensite.editorial.publishing import Status
from releases.models import Access, Architecture, ModelRelease, ReleaseSize
from tests.admin_forms import admin_form_data
from tests.factories import ArticleFactory, ReleaseFactory, ReleaseSizeFactory, cite_every_value

pytestmark = pytest.mark.django_db

ADD_URL = reverse("admin:releases_modelrelease_add")
LIST_URL = reverse("admin:releases_modelrelease_changelist")


def _sizes(*rows):
    data = {
        "sizes-TOTAL_FORMS": str(len(rows)),
        "sizes-INITIAL_FORMS": "0",
        "sizes-MIN_NUM_FORMS": "0",
        "sizes-MAX_NUM_FORMS": "1000",
        # The claims inline, left empty.
        "claims-TOTAL_FORMS": "0",
        "claims-INITIAL_FORMS": "0",
        "claims-MIN_NUM_FORMS": "0",
        "claims-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(rows):
        data.update({f"sizes-{index}-{key}": value for key, value in row.items()})
    return data


def _release_data(source, *sizes, **overrides):
    return {
        "name": "Qwen 9",
        "slug": "qwen-9",
        "release_date": "2026-05-01",
        "date_precision": "month",
        "access": Access.OPEN_WEIGHTS,
        "kind": "general",
        "context_length": "",
        "summary": "The ninth generation.",
        "notable_claims": "",
        "predecessor": "",
        "source_article": str(source.pk) if source else "",
        "source_section": "first-section",
        "source_quote": "Some words about Qwen.",
        "status": Status.DRAFT,
        "published_at_0": "",
        "published_at_1": "",
        "version": "",
        **_sizes(*sizes),
        **overrides,
    }


def _size(label, total, active="", architecture=Architecture.DENSE):
    return {"label": label, "parameters_b": total, "active_parameters_b": active, "architecture": architecture}


def _errors(response, field):
    return " ".join(response.context["adminform"].form.errors.get(field, []))


def test_editor_creates_a_release_with_two_sizes(editor_client):
    response = editor_client.post(
        ADD_URL, _release_data(ArticleFactory(), _size("Qwen9-7B", "7"), _size("Qwen9-72B", "72"))
    )

    assert response.status_code == 302
    release = ModelRelease.objects.get(slug="qwen-9")
    assert [s.label for s in release.sizes.all()] == ["Qwen9-7B", "Qwen9-72B"]
    assert (release.min_size_b, release.max_size_b) == (Decimal("7"), Decimal("72"))


def test_open_weights_follows_access(editor_client):
    editor_client.post(ADD_URL, _release_data(ArticleFactory(), access=Access.API_ONLY))

    assert ModelRelease.objects.get(slug="qwen-9").open_weights is False


def test_active_parameters_above_total_is_an_error_on_that_size_field(editor_client):
    response = editor_client.post(
        ADD_URL, _release_data(ArticleFactory(), _size("Qwen9-A", "30", "31", Architecture.MOE))
    )

    size_form = response.context["inline_admin_formsets"][0].formset.forms[0]
    assert "cannot exceed total parameters" in " ".join(size_form.errors["active_parameters_b"])
    assert not ModelRelease.objects.exists()
    assert not ReleaseSize.objects.exists()


def test_active_parameters_on_a_dense_size_is_an_error_on_that_field(editor_client):
    response = editor_client.post(ADD_URL, _release_data(ArticleFactory(), _size("Qwen9-D", "30", "3")))

    size_form = response.context["inline_admin_formsets"][0].formset.forms[0]
    assert "mixture-of-experts" in " ".join(size_form.errors["active_parameters_b"])


def test_active_parameters_of_zero_is_an_error_on_that_size_field(editor_client):
    response = editor_client.post(
        ADD_URL, _release_data(ArticleFactory(), _size("Qwen9-A", "30", "0", Architecture.MOE))
    )

    size_form = response.context["inline_admin_formsets"][0].formset.forms[0]
    assert "above zero and at most the total (30B)" in " ".join(size_form.errors["active_parameters_b"])
    assert not size_form.non_field_errors()


def test_total_parameters_of_zero_is_an_error_on_that_size_field(editor_client):
    response = editor_client.post(ADD_URL, _release_data(ArticleFactory(), _size("Qwen9-0", "0")))

    size_form = response.context["inline_admin_formsets"][0].formset.forms[0]
    assert size_form.errors["parameters_b"] == ["Total parameters must be above zero."]
    assert not ModelRelease.objects.exists()


def test_duplicate_size_label_is_refused(editor_client):
    response = editor_client.post(ADD_URL, _release_data(ArticleFactory(), _size("Same", "7"), _size("Same", "14")))

    formset = response.context["inline_admin_formsets"][0].formset
    assert "Please correct the duplicate data for label" in " ".join(formset.non_form_errors())
    assert not ModelRelease.objects.exists()


def test_date_not_matching_month_precision_is_an_error_on_the_date(editor_client):
    response = editor_client.post(ADD_URL, _release_data(ArticleFactory(), release_date="2026-05-17"))

    assert "first of the month" in _errors(response, "release_date")
    assert not ModelRelease.objects.exists()


def test_day_precision_accepts_any_day(editor_client):
    editor_client.post(ADD_URL, _release_data(ArticleFactory(), release_date="2026-05-17", date_precision="day"))

    assert ModelRelease.objects.get(slug="qwen-9").release_date == dt.date(2026, 5, 17)


def test_release_without_a_source_is_an_error_on_the_source(editor_client):
    response = editor_client.post(ADD_URL, _release_data(None))

    assert "Every release needs a source" in _errors(response, "source_article")
    assert not ModelRelease.objects.exists()


def test_source_section_must_exist_in_the_source_article(editor_client):
    response = editor_client.post(ADD_URL, _release_data(ArticleFactory(), source_section="no-such-section"))

    assert "has no section with the anchor" in _errors(response, "source_section")


def test_duplicate_release_slug_is_an_error_on_the_slug(editor_client):
    ReleaseFactory(slug="qwen-9")

    response = editor_client.post(ADD_URL, _release_data(ArticleFactory()))

    assert "Another release already uses this slug" in _errors(response, "slug")
    assert ModelRelease.objects.count() == 1


def test_draft_release_scheduled_in_the_past_is_an_error_on_publication_time(editor_client):
    past = timezone.localtime(timezone.now() - dt.timedelta(hours=3))

    response = editor_client.post(
        ADD_URL,
        _release_data(
            ArticleFactory(), published_at_0=past.strftime("%Y-%m-%d"), published_at_1=past.strftime("%H:%M:%S")
        ),
    )

    assert "cannot be scheduled for a time in the past" in _errors(response, "published_at")
    assert not ModelRelease.objects.exists()


def test_scheduled_release_is_hidden_until_due(editor_client):
    draft = ReleaseFactory(slug="qwen-9", status=Status.DRAFT, published_at=None)
    cite_every_value(draft)
    url = reverse("admin:releases_modelrelease_change", args=[draft.pk])
    data = admin_form_data(editor_client.get(url))
    future = timezone.localtime(timezone.now() + dt.timedelta(days=1))
    data.update(
        status=Status.PUBLISHED,
        published_at_0=future.strftime("%Y-%m-%d"),
        published_at_1=future.strftime("%H:%M:%S"),
    )

    assert editor_client.post(url, data).status_code == 302
    response = Client().get(reverse("releases:detail", kwargs={"slug": "qwen-9"}))

    assert ModelRelease.objects.get(slug="qwen-9").is_scheduled
    assert response.status_code == 404


def test_editor_sees_a_draft_release_on_its_public_page(editor_client):
    release = ReleaseFactory(name="Unreleased", status=Status.DRAFT, published_at=None)

    response = editor_client.get(release.get_absolute_url())

    assert response.status_code == 200
    assert "Unreleased" in response.content.decode()


def test_editing_a_size_inline_updates_the_release_size_range(editor_client):
    release = ReleaseFactory()
    ReleaseSizeFactory(release=release, parameters_b=Decimal("7"))
    url = reverse("admin:releases_modelrelease_change", args=[release.pk])
    data = admin_form_data(editor_client.get(url))
    data["sizes-0-parameters_b"] = "8"

    response = editor_client.post(url, data)

    assert response.status_code == 302
    release.refresh_from_db()
    assert release.max_size_b == Decimal("8")


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"year": "2023"}, ["Old"]),
        ({"open_weights__exact": "0"}, ["Closed"]),
        ({"kind__exact": "coder"}, ["Coder"]),
        ({"architecture": "moe"}, ["Coder"]),
        ({"status__exact": "draft"}, ["Closed"]),
        ({"q": "coder"}, ["Coder"]),
    ],
)
def test_release_list_filters_and_search(editor_client, params, expected):
    ReleaseFactory(name="Old", release_date=dt.date(2023, 4, 1))
    ReleaseFactory(name="Closed", access=Access.API_ONLY, status=Status.DRAFT, published_at=None)
    coder = ReleaseFactory(name="Coder", kind="coder")
    ReleaseSizeFactory(release=coder, architecture=Architecture.MOE, parameters_b=Decimal("30"))
    ReleaseSizeFactory(release=coder, architecture=Architecture.MOE, parameters_b=Decimal("3"))

    response = editor_client.get(LIST_URL, params)

    assert sorted(r.name for r in response.context["cl"].result_list) == expected


def test_release_list_query_count_is_constant(editor_client, django_assert_max_num_queries):
    for release in ReleaseFactory.create_batch(12):
        ReleaseSizeFactory(release=release)

    with django_assert_max_num_queries(30):
        response = editor_client.get(LIST_URL)

    assert len(response.context["cl"].result_list) == 12


def test_predecessor_autocomplete_finds_releases(editor_client):
    ReleaseFactory(name="Qwen 2.5")

    response = editor_client.get(
        reverse("admin:autocomplete"),
        {"term": "2.5", "app_label": "releases", "model_name": "modelrelease", "field_name": "predecessor"},
    )

    assert [r["text"] for r in response.json()["results"]] == ["Qwen 2.5"]


def test_deleted_release_is_recovered_with_its_sizes(editor_client):
    release = ReleaseFactory(name="Gone")
    ReleaseSizeFactory(release=release, parameters_b=Decimal("7"))
    ReleaseSizeFactory(release=release, parameters_b=Decimal("14"))
    pk = release.pk
    editor_client.post(reverse("admin:releases_modelrelease_delete", args=[pk]), {"post": "yes"})
    record = ModelRelease.history.filter(id=pk, history_type="-").get()

    editor_client.post(reverse("admin:releases_modelrelease_recover", args=[record.history_id]))

    recovered = ModelRelease.objects.get(pk=pk)
    assert sorted(s.parameters_b for s in recovered.sizes.all()) == [Decimal("7"), Decimal("14")]
    assert recovered.max_size_b == Decimal("14")


def test_reverting_a_release_restores_its_earlier_fields(editor_client):
    release = ReleaseFactory(summary="First summary.")
    url = reverse("admin:releases_modelrelease_change", args=[release.pk])
    editor_client.post(url, {**admin_form_data(editor_client.get(url)), "summary": "Second summary."})
    first = release.history.earliest("history_date")
    revert_url = reverse("admin:releases_modelrelease_simple_history", args=[release.pk, first.history_id])

    response = editor_client.post(revert_url, admin_form_data(editor_client.get(revert_url)))

    assert response.status_code == 302
    assert ModelRelease.objects.get(pk=release.pk).summary == "First summary."


def test_size_changes_are_recorded_with_the_editor(editor_client, editor):
    release = ReleaseFactory()
    ReleaseSizeFactory(release=release, parameters_b=Decimal("7"))
    url = reverse("admin:releases_modelrelease_change", args=[release.pk])
    data = admin_form_data(editor_client.get(url))
    data["sizes-0-label"] = "Renamed-7B"

    editor_client.post(url, data)

    record = ReleaseSize.history.filter(release_id=release.pk).latest("history_date")
    assert (record.label, record.history_user) == ("Renamed-7B", editor)
