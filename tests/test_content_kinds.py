"""The content state per kind (qwensite.freshness.state): an edit renews what shows it, and only that."""

import pytest
from django.conf import settings
from django.core.cache import cache

from qwensite.editorial.publishing import Status
from qwensite.freshness.state import KIND_KEY, content_state, kinds, remember
from tests.factories import ReleaseFactory, TagFactory

pytestmark = pytest.mark.django_db

API_LIST = "/api/v1/releases/"


@pytest.fixture
def release():
    return ReleaseFactory(name="Qwen 2", slug="qwen-2")


def test_every_listed_address_names_tracked_kinds():
    listed = {kind for _, shown in settings.CONTENT_KINDS_BY_PATH for kind in shown}

    assert listed <= set(kinds())
    assert set(kinds()) == {"articles", "releases"}


def test_an_article_body_edit_leaves_the_stored_api_list_and_release_page(client, release, django_assert_num_queries):
    list_before = client.get(API_LIST)
    page_before = client.get(release.get_absolute_url())
    article_before = client.get(release.source_article.get_absolute_url())

    article = release.source_article
    article.body += "\nA new paragraph.\n"
    article.save()

    with django_assert_num_queries(0):  # both answered from their stored copies
        list_after = client.get(API_LIST)
        page_after = client.get(release.get_absolute_url())
    article_after = client.get(release.source_article.get_absolute_url())
    assert list_after.content == list_before.content
    assert (list_after["ETag"], page_after["ETag"]) == (list_before["ETag"], page_before["ETag"])
    assert article_after["ETag"] != article_before["ETag"]
    assert b"A new paragraph." in article_after.content


def test_an_article_title_edit_renews_the_pages_of_the_releases_it_tells(client, release):
    before = client.get(release.get_absolute_url())

    article = release.source_article
    article.title = "A retitled story"
    article.save()
    after = client.get(release.get_absolute_url(), headers={"if-none-match": before["ETag"]})

    assert after.status_code == 200
    assert "A retitled story" in after.content.decode()


def test_an_author_rename_renews_the_release_pages_that_name_them(client, release):
    client.get(release.get_absolute_url())

    author = release.source_article.author
    author.name = "Renamed Author"
    author.save()

    assert "Renamed Author" in client.get(release.get_absolute_url()).content.decode()


def test_taking_an_article_back_to_draft_renews_the_api_list(client, release):
    assert client.get(API_LIST).json()["results"][0]["source"]["article"] == release.source_article.slug

    article = release.source_article
    article.status = Status.DRAFT
    article.save()

    assert client.get(API_LIST).json()["results"][0]["source"]["article"] is None


def test_a_release_edit_renews_the_article_page_that_lists_it(client, release):
    before = client.get(release.source_article.get_absolute_url())

    release.name = "Qwen 2 renamed"
    release.save()
    after = client.get(release.source_article.get_absolute_url(), headers={"if-none-match": before["ETag"]})

    assert after.status_code == 200
    assert "Qwen 2 renamed" in after.content.decode()


def test_a_tag_attached_to_an_article_leaves_the_catalogue_state(release):
    before = cache.get(KIND_KEY + "releases")
    articles_before = content_state()["kinds"]["articles"]["token"]

    release.source_article.tags.add(TagFactory())

    assert cache.get(KIND_KEY + "releases") == before
    assert content_state()["kinds"]["articles"]["token"] != articles_before


def test_a_draft_edit_renews_only_the_drafts_token_of_its_kind(release):
    draft = ReleaseFactory(status=Status.DRAFT, published_at=None)
    before = content_state()["kinds"]

    draft.summary = "Still unpublished."
    draft.save()
    after = content_state()["kinds"]

    assert after["releases"]["token"] == before["releases"]["token"]
    assert after["releases"]["draft_token"] != before["releases"]["draft_token"]
    assert after["articles"] == before["articles"]


def test_an_edit_of_one_kind_does_not_undo_a_renewal_of_the_other(release):
    """Each kind is its own key: renewing the articles writes nothing of the catalogue's."""
    release.summary = "Renewed."
    release.save()
    renewed = cache.get(KIND_KEY + "releases")

    article = release.source_article
    article.summary = "Also renewed."
    article.save()

    assert cache.get(KIND_KEY + "releases") == renewed


def test_a_value_remembered_for_one_kind_outlives_an_edit_of_the_other(release):
    computed = []

    def compute():
        computed.append(True)
        return len(computed)

    remember("releases-derived", compute, shown=("releases",))
    article = release.source_article
    article.summary = "Edited."
    article.save()
    remember("releases-derived", compute, shown=("releases",))
    release.summary = "Edited too."
    release.save()
    remember("releases-derived", compute, shown=("releases",))

    assert len(computed) == 2


def test_the_state_rebuilt_from_the_data_is_the_same_in_every_process(release):
    cache.clear()
    first = content_state()["kinds"]
    cache.clear()

    assert content_state()["kinds"] == first


def test_an_article_edit_leaves_the_catalogue_counts(client, release, settings, django_assert_max_num_queries):
    settings.RESPONSE_CACHE_ENABLED = False
    client.get(API_LIST)
    client.get("/releases/")

    article = release.source_article
    article.summary = "Edited."
    article.save()
    with django_assert_max_num_queries(10) as captured:
        client.get(API_LIST)
        client.get("/releases/")

    assert not [query for query in captured.captured_queries if "COUNT(" in query["sql"].upper()]
