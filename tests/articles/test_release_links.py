"""Release names in a rendered article link to their catalogue entries."""

import pytest

from articles.markdown import render_markdown, sanitize_html
from articles.release_links import link_release_names

RELEASES = [
    ("Qwen 2", "/releases/qwen-2/"),
    ("Qwen 2.5", "/releases/qwen-2-5/"),
    ("Qwen 2.5 Max", "/releases/qwen-2-5-max/"),
    ("QwQ-32B", "/releases/qwq-32b/"),
    ("QwQ-32B-Preview", "/releases/qwq-32b-preview/"),
]


def test_a_release_name_becomes_a_link_to_its_page():
    html = link_release_names("<p>June 2024: Qwen 2 arrived.</p>", RELEASES)

    assert '<a href="/releases/qwen-2/" title="Qwen 2 in the release catalogue">Qwen 2</a> arrived' in html


@pytest.mark.parametrize(
    ("text", "slug"),
    [("Qwen 2.5 Max is closed.", "qwen-2-5-max"), ("QwQ-32B-Preview came first.", "qwq-32b-preview")],
)
def test_the_longest_name_wins_over_its_prefix(text, slug):
    html = link_release_names(f"<p>{text}</p>", RELEASES)

    assert html.count("<a ") == 1
    assert f'href="/releases/{slug}/"' in html


def test_a_name_inside_a_longer_word_is_not_linked():
    html = link_release_names("<p>Qwen2-72B and Qwen 2x and Qwen 2.7</p>", RELEASES)

    assert "<a " not in html


def test_names_in_headings_links_and_code_are_left_alone():
    source = '<h2 id="qwen-2">Qwen 2</h2><p><a href="https://example.org">Qwen 2</a> <code>Qwen 2</code></p>'

    assert link_release_names(source, RELEASES) == source


def test_heading_ids_survive_linking():
    html = link_release_names(render_markdown("## Rapid Iteration (2024)\n\nQwen 2 arrived."), RELEASES)

    assert '<h2 id="rapid-iteration-2024">' in html
    assert 'href="/releases/qwen-2/"' in html


def test_links_survive_the_sanitizer():
    html = link_release_names(render_markdown("Qwen 2.5 arrived."), RELEASES)

    assert 'href="/releases/qwen-2-5/"' in sanitize_html(html)


def test_names_are_matched_as_escaped_text_and_urls_are_escaped():
    html = link_release_names("<p>R&amp;D 1 is here.</p>", [("R&D 1", '/releases/r"d/')])

    assert '<a href="/releases/r&quot;d/" title="R&amp;D 1 in the release catalogue">R&amp;D 1</a>' in html


def test_no_releases_leave_the_html_unchanged():
    assert link_release_names("<p>Qwen 2</p>", []) == "<p>Qwen 2</p>"
