"""A reader's release page: its article and structured data are drawn once per saved version of
the release and reading of the catalogue, then kept (releases.views.ReleaseDetailView.kept_parts);
anyone who may see more gets them drawn at each request."""

import datetime as dt
import time

import pytest
from django.urls import clear_script_prefix, reverse, set_script_prefix
from django.utils import timezone

from qwensite.editorial.previews import preview_url
from qwensite.editorial.publishing import Status
from tests.factories import ArticleFactory, AuthorFactory, PreviewLinkFactory, ReleaseFactory

pytestmark = pytest.mark.django_db

BODY = "releases/_release_body.html"


def drew_body(response):
    return BODY in {template.name for template in response.templates}


def page(slug):
    return reverse("releases:detail", args=[slug])


def test_a_readers_release_page_draws_its_article_once_then_serves_it_kept(client, cold):
    ReleaseFactory(slug="qwen-kept", summary="A summary kept with the page.")

    first, again = client.get(page("qwen-kept")), client.get(page("qwen-kept"))

    assert drew_body(first)
    assert not drew_body(again)
    assert again.content == first.content
    assert "A summary kept with the page." in again.content.decode()
    assert 'type="application/ld+json"' in again.content.decode()  # the structured data is kept with it


def test_a_kept_page_reads_the_release_alone(client, cold, assert_max_request_queries):
    ReleaseFactory(slug="qwen-read", predecessor=ReleaseFactory(slug="qwen-before"))
    client.get(page("qwen-read"))

    with assert_max_request_queries(1):  # the release; its family, provenance and parts are kept
        response = client.get(page("qwen-read"))

    assert not drew_body(response)
    assert reverse("releases:detail", args=["qwen-before"]) in response.content.decode()


def test_an_edit_of_the_release_draws_the_article_again(client, cold):
    release = ReleaseFactory(slug="qwen-edited", summary="Before the edit.")
    client.get(page("qwen-edited"))

    release.summary = "After the edit."
    release.save()
    response = client.get(page("qwen-edited"))

    assert drew_body(response)
    assert "After the edit." in response.content.decode()
    assert "Before the edit." not in response.content.decode()


def test_an_edit_of_what_the_article_shows_of_other_entries_is_shown_at_once(client, cold):
    author = AuthorFactory(name="First Author")
    predecessor = ReleaseFactory(slug="qwen-first", name="Qwen First")
    release = ReleaseFactory(
        slug="qwen-second", predecessor=predecessor, source_article=ArticleFactory(author=author, title="The story")
    )
    assert "Qwen First" in client.get(page("qwen-second")).content.decode()

    predecessor.name = "Qwen One"
    predecessor.save()
    assert "Qwen One" in client.get(page("qwen-second")).content.decode()

    author.name = "Renamed Author"
    author.save()
    assert "Renamed Author" in client.get(page("qwen-second")).content.decode()

    article = release.source_article
    article.title = "The story, retold"
    article.save()
    assert "The story, retold" in client.get(page("qwen-second")).content.decode()

    ReleaseFactory(slug="qwen-third", name="Qwen Third", predecessor=release)
    assert "Qwen Third" in client.get(page("qwen-second")).content.decode()  # a new successor


def test_an_editor_gets_the_article_drawn_with_drafts_and_readers_never_see_them(client, admin_client, cold):
    release = ReleaseFactory(slug="qwen-parent")
    ReleaseFactory(slug="qwen-draft-child", name="Qwen Draft Child", predecessor=release, status=Status.DRAFT)

    reader_before = client.get(page("qwen-parent"))
    editor_pages = [admin_client.get(page("qwen-parent")) for _ in range(2)]
    reader_after = client.get(page("qwen-parent"))

    assert all(drew_body(response) for response in editor_pages)
    assert all("Qwen Draft Child" in response.content.decode() for response in editor_pages)
    assert "Qwen Draft Child" not in reader_before.content.decode()
    assert "Qwen Draft Child" not in reader_after.content.decode()
    assert not drew_body(reader_after)


def test_a_shared_preview_of_a_draft_release_is_drawn_with_its_notice(client, cold):
    draft = ReleaseFactory(slug="qwen-previewed", status=Status.DRAFT, published_at=None)
    link = PreviewLinkFactory(entry=draft)

    responses = [client.get(preview_url(link)) for _ in range(2)]

    assert all(response.status_code == 200 for response in responses)
    assert all(drew_body(response) for response in responses)
    assert all("A preview shared by the editors" in response.content.decode() for response in responses)


def test_the_article_is_kept_per_script_prefix_its_links_are_made_with(client, cold):
    ReleaseFactory(slug="qwen-prefixed", predecessor=ReleaseFactory(slug="qwen-root"))
    url = page("qwen-prefixed")
    plain = client.get(url).content.decode()

    set_script_prefix("/site/")  # as a server mounted under /site sets it (the test client does not)
    try:
        prefixed = client.get(url).content.decode()
    finally:
        clear_script_prefix()
    plain_again = client.get(url).content.decode()

    assert 'href="/site/releases/qwen-root/"' in prefixed
    assert 'href="/releases/qwen-root/"' not in prefixed  # the family tree's links too
    assert 'href="/releases/qwen-root/"' in plain
    assert 'href="/site/releases/qwen-root/"' not in plain_again


def test_an_article_coming_due_is_shown_on_the_kept_page(client, cold):
    due_at = timezone.now() + dt.timedelta(seconds=1)
    article = ArticleFactory(title="A story told later", published_at=due_at)
    ReleaseFactory(slug="qwen-told-later", source_article=article)
    before = [client.get(page("qwen-told-later")).content.decode() for _ in range(3)]

    time.sleep(max(0.0, (due_at - timezone.now()).total_seconds()) + 0.05)  # no edit: it comes due
    after = client.get(page("qwen-told-later")).content.decode()

    assert all("The story of this release has not been published yet." in text for text in before)
    assert "A story told later" in after
    assert "The story of this release has not been published yet." not in after


def test_a_relative_edited_while_a_page_is_drawn_is_shown_by_the_next(client, cold, monkeypatch):
    from releases.views import ReleaseDetailView

    predecessor = ReleaseFactory(slug="qwen-elder", name="Qwen Elder")
    ReleaseFactory(slug="qwen-younger", predecessor=predecessor)
    url = page("qwen-younger")
    stale = client.get(url).context["release"]  # a request that read the page's rows before the edit...
    predecessor.name = "Qwen Eldest"
    predecessor.save()
    read_before = ReleaseDetailView.get_object
    monkeypatch.setattr(ReleaseDetailView, "get_object", lambda view, queryset=None: stale)
    raced = client.get(url).content.decode()  # ...and reads the state, and draws, after it
    monkeypatch.setattr(ReleaseDetailView, "get_object", read_before)

    after = client.get(url).content.decode()

    assert 'rel="prev">Qwen Elder</a>' in raced  # what that request read
    assert 'rel="prev">Qwen Eldest</a>' in after
