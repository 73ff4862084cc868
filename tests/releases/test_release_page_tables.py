"""A release page's facts and sizes tables are drawn with its provenance, once per state of the
catalogue for readers (releases.views.ReleaseDetailView.read_provenance)."""

from decimal import Decimal

import pytest
from django.urls import reverse

from tests.factories import ReleaseFactory, ReleaseSizeFactory

pytestmark = pytest.mark.django_db


TABLES = {"releases/_release_facts.html", "releases/_release_sizes.html"}


def drawn(response):
    return TABLES & {template.name for template in response.templates}


def test_the_facts_and_sizes_tables_are_drawn_once_per_state_of_the_catalogue(client, cold):
    size = ReleaseSizeFactory(release=ReleaseFactory(slug="qwen-sized"), parameters_b=Decimal("7"), label="Qwen-7B")
    url = reverse("releases:detail", args=["qwen-sized"])

    first, again = client.get(url), client.get(url)
    size.parameters_b = Decimal("8")
    size.save()
    changed = client.get(url)

    assert drawn(first) == TABLES
    assert drawn(again) == set()  # kept with the provenance they are drawn from
    assert again.content == first.content
    assert drawn(changed) == TABLES
    assert '<td data-label="Total parameters">8B' in changed.content.decode()
    assert '<td data-label="Total parameters">7B' in first.content.decode()


def test_an_editor_gets_the_tables_drawn_at_each_request(admin_client, cold):
    ReleaseFactory(slug="qwen-edited")
    url = reverse("releases:detail", args=["qwen-edited"])

    assert drawn(admin_client.get(url)) == drawn(admin_client.get(url)) == TABLES


def test_tables_drawn_from_a_release_read_before_an_edit_are_not_shown_after_it(client, cold, monkeypatch):
    from releases.views import ReleaseDetailView

    release = ReleaseFactory(slug="qwen-raced", context_length=8192)
    url = reverse("releases:detail", args=["qwen-raced"])
    read_before = ReleaseDetailView.get_object  # a request that read the release before the edit...
    stale = client.get(url).context["release"]
    release.context_length = 32768
    release.save()
    monkeypatch.setattr(ReleaseDetailView, "get_object", lambda view, queryset=None: stale)
    raced = client.get(url)  # ...and draws its tables after it, under the state the edit made
    monkeypatch.setattr(ReleaseDetailView, "get_object", read_before)

    after = client.get(url)

    assert "8,192" in raced.content.decode()  # what that request read
    assert "32,768" in after.content.decode()
    assert "8,192" not in after.content.decode()
