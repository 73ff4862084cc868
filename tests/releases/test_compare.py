"""Compare from where the reader is: releases named as the site shows them, a picker, one wording."""

import pytest
from django.urls import reverse

from releases.names import name_key
from tests.factories import ReleaseFactory

pytestmark = pytest.mark.django_db

COMPARE = reverse("releases:compare")


@pytest.mark.parametrize(
    ("typed", "slug"),
    [
        ("Qwen 3", "qwen-3"),
        ("qwen3", "qwen-3"),
        ("QWEN-3", "qwen-3"),
        ("  qwen   3 ", "qwen-3"),
        ("qwen2.5", "qwen-2-5"),
        ("Qwen 2.5", "qwen-2-5"),
        ("qwen-2-5", "qwen-2-5"),
        ("Qwen2.5-Coder", "qwen2-5-coder"),
        ("qwen 2.5 coder", "qwen2-5-coder"),
        ("qwq-32b", "qwq-32b"),
        ("QwQ 32B Preview", "qwq-32b-preview"),
        ("Qwen 2.5 Max", "qwen-2-5-max"),
        ("tongyi qianwen", "tongyi-qianwen"),
        ("Qwen 1.0", "qwen-1"),
    ],
)
def test_compare_accepts_display_names_and_slugs_in_any_case_and_spacing(client, seeded, typed, slug):
    response = client.get(COMPARE, {"r": [typed, "qwen-2"]})

    assert response.status_code == 200, response.context.get("errors")
    assert [release.slug for release in response.context["compared"]] == [slug, "qwen-2"]


def test_compare_of_the_issue_example_puts_qwen_3_beside_qwen_2(client, seeded):
    response = client.get(COMPARE, {"r": ["Qwen 3", "Qwen 2"]})

    assert response.status_code == 200
    assert [release.name for release in response.context["compared"]] == ["Qwen 3", "Qwen 2"]


def test_a_release_named_twice_in_two_spellings_counts_once(client, seeded):
    response = client.get(COMPARE, {"r": ["Qwen 3", "qwen-3"]})

    assert response.status_code == 400
    assert "Choose between 2 and 4 releases to compare; you chose 1." in response.text


def test_an_exact_slug_wins_over_a_name_with_the_same_key(client):
    by_slug = ReleaseFactory(slug="qwen-7", name="Qwen Seven")
    ReleaseFactory(slug="other", name="Qwen 7")
    third = ReleaseFactory(slug="third")

    response = client.get(COMPARE, {"r": ["qwen-7", third.slug]})

    assert response.context["compared"] == [by_slug, third]


def test_a_name_two_releases_share_asks_which_one(client):
    ReleaseFactory(slug="qwen-7-a", name="Qwen 7")
    ReleaseFactory(slug="qwen-7-b", name="Qwen-7")
    third = ReleaseFactory(slug="third")

    response = client.get(COMPARE, {"r": ["qwen 7", third.slug]})

    assert response.status_code == 400
    assert "“qwen 7” could be" in response.text
    assert "(qwen-7-a)" in response.text
    assert "(qwen-7-b)" in response.text


def test_an_unknown_name_is_named_with_close_matches(client, seeded):
    response = client.get(COMPARE, {"r": ["Qwen 4", "qwen-2"]})

    assert response.status_code == 400
    errors = response.context["errors"]
    assert len(errors) == 1
    assert errors[0].startswith("No release called “Qwen 4”. Did you mean ")
    assert "Qwen 3" in errors[0]


def test_an_unknown_name_far_from_every_release_gets_no_suggestion(client, seeded):
    response = client.get(COMPARE, {"r": ["Zebra", "qwen-2"]})

    assert response.context["errors"] == ["No release called “Zebra”."]


@pytest.mark.parametrize(
    ("values", "count"),
    [(["qwen-2"], 1), (["qwen-1", "qwen-2", "qwen-3", "qwq-32b", "qwen-2-5"], 5)],
)
def test_every_count_message_uses_one_wording(client, seeded, values, count):
    response = client.get(COMPARE, {"r": values})

    assert response.status_code == 400
    assert f"Choose between 2 and 4 releases to compare; you chose {count}." in response.text
    assert "two" not in response.text.lower().replace("two-", "")


def test_the_form_heading_states_the_same_limits(client, seeded):
    response = client.get(COMPARE)

    assert "Choose between 2 and 4 releases</h2>" in response.text


def test_the_picker_lists_every_published_release_as_a_tick_box_named_r(client, seeded):
    response = client.get(COMPARE)

    assert response.text.count('type="checkbox"') == 11
    assert '<input type="checkbox" id="pick-qwen-3" name="r" value="qwen-3">' in response.text
    assert '<label for="pick-qwen-3">Qwen 3</label>' in response.text


def test_ticking_two_releases_in_the_picker_compares_them(client, seeded):
    # What the GET form sends: the ticked slugs, then the two empty text inputs.
    response = client.get(COMPARE, {"r": ["qwen-3", "qwen-2", "", ""]}, follow=True)

    assert response.redirect_chain[0][0] == f"{COMPARE}?r=qwen-3&r=qwen-2"
    assert [release.slug for release in response.context["compared"]] == ["qwen-3", "qwen-2"]


def test_the_picker_never_lists_an_unpublished_release(client):
    ReleaseFactory(name="Qwen Shown")
    ReleaseFactory(name="Qwen Hidden", status="draft")

    response = client.get(COMPARE)

    assert "Qwen Shown" in response.text
    assert "Qwen Hidden" not in response.text


def test_an_unknown_name_never_suggests_an_unpublished_release(client):
    ReleaseFactory(name="Qwen Secret", slug="qwen-secret", status="draft")
    shown = ReleaseFactory()

    response = client.get(COMPARE, {"r": [shown.slug, "qwen secrat"]})

    assert response.context["errors"] == ["No release called “qwen secrat”."]


def test_the_form_goes_to_the_comparison(client, seeded):
    response = client.get(COMPARE)

    assert f'action="{COMPARE}#comparison-title"' in response.text


@pytest.mark.parametrize(
    ("text", "key"), [("Qwen 2.5", "qwen25"), ("QWEN-3", "qwen3"), ("qwq_32b", "qwq32b"), (" a\tb ", "ab")]
)
def test_name_key_drops_case_and_separators(text, key):
    assert name_key(text) == key
