import datetime as dt
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.utils import timezone

from qwensite.freshness.state import _Renewal, content_state, state_of
from tests.factories import ArticleFactory, ReleaseFactory, ReleaseSizeFactory, TagFactory

pytestmark = pytest.mark.django_db


def test_state_is_kept_between_reads_without_changes(django_assert_num_queries):
    ReleaseFactory()
    first = content_state()

    with django_assert_num_queries(0):
        second = content_state()

    assert second == first


def test_a_transaction_writing_many_rows_renews_the_state_once_more_on_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        release = ReleaseFactory()
        ReleaseSizeFactory(release=release)
        ReleaseSizeFactory(release=release, parameters_b=Decimal("72"))

    assert len([c for c in callbacks if isinstance(c, _Renewal)]) == 1


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


def test_an_entry_of_another_kind_coming_due_renews_the_kinds_whose_pages_show_it(monkeypatch):
    from releases.apps import CONTENT_KIND

    due = timezone.now() + dt.timedelta(minutes=5)
    ReleaseFactory(source_article=ArticleFactory(published_at=due))  # its page names the article once due
    cache.clear()  # the state as rebuilt from the data alone
    before = state_of(content_state(), [CONTENT_KIND])

    later = due + dt.timedelta(seconds=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    after = state_of(content_state(), [CONTENT_KIND])

    assert after["token"] != before["token"]
    assert after["draft_token"] != before["draft_token"]  # what is remembered for the catalogue is renewed
    assert after["last_modified"] == due
