"""A size's architecture is a fact like any other: stated with a source, or "not stated"."""

import importlib

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.urls import reverse

from releases.models import Architecture, Claim, Status
from tests.factories import ReleaseFactory, ReleaseSizeFactory, SourceFactory, cite_every_value

pytestmark = pytest.mark.django_db

migration = importlib.import_module("releases.migrations.0008_size_architecture_not_stated")


def test_the_migration_keeps_a_claimed_dense_and_clears_the_dense_default():
    release = ReleaseFactory(status=Status.DRAFT)
    claimed = ReleaseSizeFactory(release=release, label="72B", architecture=Architecture.DENSE)
    defaulted = ReleaseSizeFactory(release=release, label="7B", architecture=Architecture.DENSE)
    moe = ReleaseSizeFactory(release=release, label="57B MoE", architecture=Architecture.MOE)
    Claim.objects.create(
        release=release,
        size=claimed,
        field="architecture",
        value="dense",
        source=SourceFactory(article=release.source_article),
        quote="Some words about Qwen.",
        locator="first-section",
        preferred=True,
    )

    migration.dense_by_default_to_not_stated(apps, None)

    claimed.refresh_from_db(), defaulted.refresh_from_db(), moe.refresh_from_db()
    assert (claimed.architecture, defaulted.architecture, moe.architecture) == ("dense", "", "moe")


def test_the_release_page_says_not_stated_where_the_document_is_silent(client, seeded):
    body = client.get(reverse("releases:detail", kwargs={"slug": "qwen-3"})).content.decode()
    row = body.split('<th scope="row">0.6B</th>')[1].split("</tr>")[0]

    assert row.count("not stated") >= 2  # active parameters and architecture
    assert "dense" not in row.lower()


def test_a_stated_architecture_needs_a_source_to_be_published():
    release = ReleaseFactory(status=Status.DRAFT)
    ReleaseSizeFactory(release=release, label="7B", architecture=Architecture.DENSE)
    cite_every_value(release)
    Claim.objects.filter(field="architecture").delete()
    release.status = Status.PUBLISHED

    with pytest.raises(ValidationError) as refused:
        release.full_clean()

    assert "architecture of 7B" in " ".join(refused.value.message_dict["status"])


def test_a_size_whose_architecture_is_not_stated_needs_no_source_for_it():
    release = ReleaseFactory(status=Status.DRAFT)
    ReleaseSizeFactory(release=release, label="7B")
    cite_every_value(release)
    release.status = Status.PUBLISHED

    release.full_clean()  # nothing to cite: the architecture is not stated

    assert not Claim.objects.filter(field="architecture").exists()
