"""An entry read by SQL compiled once per process, its joined entries made as the queryset
makes them (qwensite.freshness.prepared.PreparedGet): the release page's release."""

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from qwensite.editorial.publishing import Status
from qwensite.freshness import prepared
from qwensite.freshness.prepared import PreparedGet
from releases.models import ModelRelease
from tests.factories import ArticleFactory, ReleaseFactory

pytestmark = pytest.mark.django_db

NOW = timezone.now()
JOINED = ("predecessor", "source_article__author")


@pytest.fixture(autouse=True)
def nothing_kept(nothing_prepared):
    """Each test compiles its lists anew."""


@pytest.fixture
def lineage():
    """A release with a predecessor and an article; one due only later; a draft."""
    first = ReleaseFactory(name="Qwen First", slug="qwen-first")
    second = ReleaseFactory(name="Qwen Second", slug="qwen-second", predecessor=first)
    later = ReleaseFactory(slug="qwen-later", published_at=NOW + dt.timedelta(days=2))
    draft = ReleaseFactory(slug="qwen-draft", status=Status.DRAFT, published_at=None)
    return first, second, later, draft


def release_at(user=None):
    user = user or AnonymousUser()
    return PreparedGet(
        ("test-release",),
        lambda now, slug: ModelRelease.objects.visible_to(user, now).select_related(*JOINED).filter(slug=slug),
    )


def fields(instance):
    return {name: value for name, value in vars(instance).items() if name != "_state"}


def test_the_entry_and_its_joined_entries_are_those_of_the_queryset(lineage):
    found = release_at().matching("qwen-second", NOW)
    by_the_orm = ModelRelease.objects.published(NOW).select_related(*JOINED).get(slug="qwen-second")

    assert len(found) == 1
    release = found[0]
    assert fields(release) == fields(by_the_orm)
    with CaptureQueriesContext(connection) as reads:
        assert fields(release.predecessor) == fields(by_the_orm.predecessor)
        assert fields(release.source_article) == fields(by_the_orm.source_article)
        assert fields(release.source_article.author) == fields(by_the_orm.source_article.author)
    assert reads.captured_queries == []  # joined, as select_related joins them


def test_what_the_present_moment_hides_is_not_found_until_due(lineage):
    listed = release_at()

    assert listed.matching("qwen-later", NOW) == []
    assert [release.slug for release in listed.matching("qwen-later", NOW + dt.timedelta(days=3))] == ["qwen-later"]
    assert listed.matching("qwen-draft", NOW) == []
    assert listed.matching("no-such-release", NOW) == []


def test_the_sql_is_compiled_once_and_read_for_each_value(lineage, monkeypatch):
    listed = release_at()
    listed.matching("qwen-first", NOW)
    monkeypatch.setattr(prepared.Compiled, "of", lambda *args, **kwargs: pytest.fail("compiled again"))

    with CaptureQueriesContext(connection) as reads:
        first, second = listed.matching("qwen-first", NOW), listed.matching("qwen-second", NOW)

    assert [first[0].slug, second[0].slug] == ["qwen-first", "qwen-second"]
    assert len(reads.captured_queries) == 2


@pytest.mark.parametrize(
    "build",
    [
        lambda now, slug: ModelRelease.objects.published(now).filter(slug__contains=slug),
        lambda now, slug: ModelRelease.objects.published(now).filter(slug=slug.upper()),
        lambda now, slug: ModelRelease.objects.published(now).filter(slug="qwen-first"),
        lambda now, slug: ModelRelease.objects.published(now).filter(slug=slug.lower()),
        lambda now, slug: ModelRelease.objects.published(now).filter(slug=slug.strip()),
        lambda now, slug: ModelRelease.objects.published(now).filter(slug__startswith=slug),
    ],
    ids=["searched in", "changed first", "not used", "lowered", "stripped", "escaped for LIKE"],
)
def test_a_value_that_does_not_stand_as_given_is_not_kept(lineage, build):
    assert PreparedGet(("test-unkept",), build).matching("qwen-first", NOW) is None


@pytest.mark.parametrize("editor_too", [False, True])
@pytest.mark.parametrize("slug", ["qwen-first", "qwen-second", "qwen-later", "qwen-draft", "no-such-release"])
def test_the_release_page_is_the_same_read_either_way(
    client, admin_client, cold, lineage, slug, editor_too, monkeypatch
):
    asker = admin_client if editor_too else client
    url = reverse("releases:detail", args=[slug])
    answer = asker.get(url)

    monkeypatch.setattr(PreparedGet, "matching", lambda self, value, now=None: None)
    by_the_orm = asker.get(url)

    assert answer.status_code == by_the_orm.status_code
    assert answer.content == by_the_orm.content
    expected = 200 if slug in {"qwen-first", "qwen-second"} or (editor_too and slug != "no-such-release") else 404
    assert answer.status_code == expected


def test_the_release_page_reads_no_more_than_by_the_orm(client, cold, lineage, monkeypatch):
    url = reverse("releases:detail", args=["qwen-second"])
    client.get(url)  # keeps the family and provenance

    with CaptureQueriesContext(connection) as kept:
        client.get(url)
    monkeypatch.setattr(PreparedGet, "matching", lambda self, value, now=None: None)
    with CaptureQueriesContext(connection) as by_the_orm:
        client.get(url)

    assert len(kept.captured_queries) <= len(by_the_orm.captured_queries)


def test_an_article_told_draft_is_joined_and_left_out_by_the_page(client, cold):
    ReleaseFactory(slug="qwen-told", source_article=ArticleFactory(status=Status.DRAFT, published_at=None))

    page = client.get(reverse("releases:detail", args=["qwen-told"]))

    assert page.status_code == 200
    release = release_at().matching("qwen-told", NOW)[0]
    assert release.source_article.status == Status.DRAFT  # joined whole; the page decides what readers see
