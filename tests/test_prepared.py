"""Lists read by SQL compiled once per process (qwensite.freshness.prepared)."""

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from qwensite.editorial.publishing import Status, visible_slug
from qwensite.freshness.prepared import PreparedList
from qwensite.ops.postgresql import connection_options
from releases.api import ReleaseViewSet
from releases.models import ModelRelease
from releases.views import catalogue_at
from tests.factories import ArticleFactory, ReleaseFactory

pytestmark = pytest.mark.django_db

NOW = timezone.now()
LATER = NOW + dt.timedelta(days=3)


@pytest.fixture(autouse=True)
def nothing_kept(nothing_prepared):
    """Each test compiles its lists anew."""


@pytest.fixture
def releases():
    """Published releases, one due only in two days, one a draft, one told by a draft article,
    and predecessors of each kind."""
    draft_article = ArticleFactory(status=Status.DRAFT, published_at=None)
    made = ReleaseFactory.create_batch(6)
    due_later = ReleaseFactory(published_at=NOW + dt.timedelta(days=2))
    draft = ReleaseFactory(status=Status.DRAFT, published_at=None)
    ReleaseFactory(source_article=draft_article)
    ReleaseFactory(predecessor=due_later)
    ReleaseFactory(predecessor=draft)
    ReleaseFactory(predecessor=made[0])
    return made


def api_list(user, editor=False):
    def build(now):
        return (
            ModelRelease.objects.visible_to(user, now)
            .annotate(
                source_slug=visible_slug("source_article", Article, user, now),
                predecessor_slug=visible_slug("predecessor", ModelRelease, user, now),
            )
            .order_by("-release_date", "name", "pk")
            .for_lists()
        )

    return PreparedList(("test-api", editor), build)


def read(rows):
    """Everything a row holds: its fields as loaded, its annotations, what it left deferred."""
    return [
        (
            {
                field.attname: getattr(row, field.attname)
                for field in ModelRelease._meta.concrete_fields
                if field.attname not in row.get_deferred_fields()
            },
            getattr(row, "source_slug", "-"),
            getattr(row, "predecessor_slug", "-"),
            sorted(row.get_deferred_fields()),
            row._state.db,
            row._state.adding,
        )
        for row in rows
    ]


@pytest.mark.parametrize("now", [NOW, LATER])
@pytest.mark.parametrize(("bottom", "top"), [(0, 4), (2, 7), (0, 50), (8, 12), (20, 25)])
def test_a_page_is_the_rows_the_queryset_reads(releases, now, bottom, top):
    listed = api_list(AnonymousUser())

    page = listed.page(bottom, top, now)

    assert read(page) == read(listed.build(now)[bottom:top])


def test_the_catalogue_reads_the_rows_of_its_queryset(releases):
    listed = PreparedList(("test-catalogue",), lambda now: catalogue_at(now).order_by("-release_date", "pk"))

    assert read(listed.page(0, 30, LATER)) == read(listed.build(LATER)[0:30])
    assert read(listed.page(0, 30, NOW)) == read(listed.build(NOW)[0:30])


def test_the_present_moment_decides_what_is_due_on_every_page(releases):
    listed = api_list(AnonymousUser())
    due_later = ModelRelease.objects.get(published_at__gt=NOW, status=Status.PUBLISHED)

    now_slugs = {row.slug for row in listed.page(0, 50, NOW)}
    later_rows = listed.page(0, 50, LATER)

    assert due_later.slug not in now_slugs
    assert due_later.slug in {row.slug for row in later_rows}
    follower = next(row for row in later_rows if row.predecessor_id == due_later.pk)
    assert follower.predecessor_slug == due_later.slug


def test_an_editor_list_keeps_its_drafts(releases, editor):
    listed = api_list(editor, editor=True)

    assert read(listed.page(0, 50, NOW)) == read(listed.build(NOW)[0:50])
    assert ModelRelease.objects.filter(status=Status.DRAFT).count() == 1
    assert any(row.status == Status.DRAFT for row in listed.page(0, 50, NOW))


def test_the_sql_is_compiled_once_per_list(releases, monkeypatch):
    listed = api_list(AnonymousUser())
    listed.page(0, 5, NOW)
    built = []
    monkeypatch.setattr(listed, "build", lambda now: built.append(now))

    listed.page(5, 10, LATER)

    assert built == []


def test_a_list_whose_sql_changes_with_more_than_the_time_is_not_kept(releases):
    seen = []

    def build(now):
        seen.append(now)
        return ModelRelease.objects.published(now).filter(name__startswith=str(len(seen)))

    assert PreparedList(("test-shifting",), build).page(0, 5, NOW) is None


def test_a_sliced_list_is_not_kept(releases):
    listed = PreparedList(("test-sliced",), lambda now: ModelRelease.objects.published(now).order_by("pk")[:3])

    assert listed.page(0, 2, NOW) is None


@pytest.mark.parametrize("editor_too", [False, True])
def test_the_api_list_is_the_same_read_either_way(
    api_client, editor_api_client, cold, releases, editor_too, monkeypatch
):
    client = editor_api_client if editor_too else api_client
    url = reverse("api:release-list")
    answers = [client.get(url, {"page_size": 4, "page": page}).content for page in (1, 2, 3)]

    monkeypatch.setattr(ReleaseViewSet, "prepared_list", lambda view: None)
    by_the_orm = [client.get(url, {"page_size": 4, "page": page}).content for page in (1, 2, 3)]

    assert answers == by_the_orm
    assert b'"results":[{' in answers[0]


@pytest.mark.parametrize("kept_rows", [False, True])
def test_the_api_list_reads_its_page_by_the_kept_sql(api_client, cold, releases, kept_rows, monkeypatch):
    url, query = reverse("api:release-list"), {"page": 2, "page_size": 3}

    def queries():
        cache.clear()
        if kept_rows:
            api_client.get(url, query)
        with CaptureQueriesContext(connection) as captured:
            api_client.get(url, query)
        return [entry["sql"] for entry in captured.captured_queries]

    kept = queries()
    monkeypatch.setattr(ReleaseViewSet, "prepared_list", lambda view: None)
    by_the_orm = queries()

    assert len(kept) <= len(by_the_orm)
    assert len([sql for sql in kept if "LIMIT 3 OFFSET 3" in sql]) == 1


def test_a_filtered_api_list_is_read_by_the_orm(api_client, cold, releases, monkeypatch):
    asked = []
    monkeypatch.setattr(PreparedList, "page", lambda self, *args: asked.append(args))

    api_client.get(reverse("api:release-list"), {"year": NOW.year})
    api_client.get(reverse("api:release-list"), {"expand": "claims"})

    assert asked == []


def test_the_catalogue_is_the_same_read_either_way(client, cold, releases, monkeypatch):
    url = reverse("releases:list")
    answer = client.get(url).content

    monkeypatch.setattr(PreparedList, "page", lambda self, *args: None)
    by_the_orm = client.get(url).content

    assert answer == by_the_orm
    assert answer.count(b"<tr") > 5


def test_an_empty_page_reads_no_rows(releases, django_assert_num_queries):
    listed = api_list(AnonymousUser())

    with django_assert_num_queries(0):
        assert listed.page(0, 0, NOW) == []


@pytest.mark.parametrize(
    "build",
    [
        lambda now: ModelRelease.objects.published(now).select_related("source_article"),
        lambda now: ModelRelease.objects.published(now).values("slug"),
        lambda now: ModelRelease.objects.published(now).values_list("slug", flat=True),
        lambda now: ModelRelease.objects.published(now).prefetch_related("sizes"),
        lambda now: ModelRelease.objects.published(now).filter(pk__in=[]),
    ],
    ids=["select_related", "values", "values_list", "prefetch", "matches nothing"],
)
def test_a_list_a_raw_query_cannot_reproduce_is_not_kept(releases, build):
    assert PreparedList(("test-unreproducible",), build).page(0, 5, NOW) is None


def test_each_ordering_of_a_list_is_kept_apart(client, cold, releases):
    from qwensite.freshness.pagination import ScalablePaginator

    def names(*ordering):
        queryset = catalogue_at().order_by(*ordering)
        paginator = ScalablePaginator(
            queryset, 50, prepared=PreparedList(("test-orderings",), lambda now: catalogue_at(now).order_by(*ordering))
        )
        return [row.name for row in paginator.page(1).object_list]

    assert names("name") == sorted(names("name"))
    assert names("-name") == sorted(names("-name"), reverse=True)


def prepared_statements():
    """The statements prepared on this connection, and how many times each ran by a generic plan
    and by a plan made for its values."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement, generic_plans, custom_plans FROM pg_prepared_statements")
        return cursor.fetchall()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="statements are prepared on PostgreSQL only")
def test_a_kept_list_is_planned_once_per_connection_and_nothing_else_is(api_client, cold, releases):
    url = reverse("api:release-list")
    for _ in range(3):
        assert api_client.get(url, {"page_size": 4}).status_code == 200
        assert api_client.get(url, {"page_size": 4, "year": NOW.year}).status_code == 200  # read by the ORM

    prepared = prepared_statements()

    # One statement, the kept list's page: planned once, then run by that plan each time.
    assert [(statement.endswith("LIMIT 4"), generic, custom) for statement, generic, custom in prepared] == [
        (True, 3, 0)
    ]


def test_the_postgresql_options_plan_prepared_statements_once_and_keep_those_given():
    given = {"options": "-c search_path=site", "connect_timeout": 3}

    options = connection_options(given)

    assert options == {
        "options": "-c search_path=site -c plan_cache_mode=force_generic_plan",
        "connect_timeout": 3,
        "prepare_threshold": 0,
    }
    assert given == {"options": "-c search_path=site", "connect_timeout": 3}  # not changed in place
    assert connection_options({})["options"] == "-c plan_cache_mode=force_generic_plan"
