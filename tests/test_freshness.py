import datetime as dt

import pytest
from django.core.cache import cache
from django.utils import timezone

from qwensite.freshness import content_state, etag_for
from tests.factories import ArticleFactory, ReleaseFactory, ReleaseSizeFactory, TagFactory

pytestmark = pytest.mark.django_db


def test_state_is_stable_without_changes():
    ReleaseFactory()
    assert content_state() == content_state()


@pytest.mark.parametrize(
    "change",
    [
        lambda r: ReleaseSizeFactory(release=r),
        lambda r: r.save(),
        lambda r: r.delete(),
        lambda r: r.source_article.tags.add(TagFactory()),
    ],
    ids=["size added", "release saved", "release deleted", "tag attached"],
)
def test_every_content_change_renews_the_state(change):
    release = ReleaseFactory()
    before = content_state()["token"]
    change(release)
    assert content_state()["token"] != before


def test_state_survives_a_cache_flush_with_the_same_data():
    ReleaseFactory()
    cache.clear()
    first = content_state()["token"]
    cache.clear()
    assert content_state()["token"] == first


def test_a_scheduled_entry_becoming_due_renews_the_state(monkeypatch):
    due = timezone.now() + dt.timedelta(minutes=5)
    ArticleFactory(published_at=due)
    cache.clear()  # the state as rebuilt from the data alone
    before = content_state()
    assert before["next_due"] == due

    later = due + dt.timedelta(seconds=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    after = content_state()
    assert after["token"] != before["token"]
    assert after["next_due"] is None
    assert after["last_modified"] == due


def test_etags_differ_by_representation_and_by_content():
    release = ReleaseFactory()
    assert etag_for("/a", "json") != etag_for("/a", "csv")
    before = etag_for("/a", "json")
    release.save()
    assert etag_for("/a", "json") != before
