"""A reader's journeys through the site in headless Chromium."""

import re

import pytest

from releases.models import ModelRelease

pytestmark = pytest.mark.django_db(transaction=True)


def test_reader_filters_the_catalogue_to_open_weight_2024_releases(seeded, page):
    shown_in_2024 = ModelRelease.objects.published().filter(release_date__year=2024, open_weights=True)
    expected = sorted(shown_in_2024.values_list("name", flat=True))
    page.goto("/releases/")

    page.get_by_role("group", name="Year").get_by_label("2024").check()
    page.get_by_label("Open weights").select_option("true")
    page.get_by_role("button", name="Apply filters").click()

    page.wait_for_url(re.compile(r"/releases/\?year=2024&open_weights=true#results$"))
    shown = page.locator("table.catalogue tbody th[scope=row]").all_inner_texts()
    assert sorted(shown) == expected
    assert page.get_by_role("heading", name=f"{len(expected)} releases matching these filters").is_visible()


def test_reader_ticks_two_years_and_sees_the_releases_of_both(seeded, page):
    both = ModelRelease.objects.published().filter(release_date__year__in=[2024, 2025])
    page.goto("/releases/")

    years = page.get_by_role("group", name="Year")
    years.get_by_label("2024").check()
    years.get_by_label("2025").check()
    page.get_by_role("button", name="Apply filters").click()

    page.wait_for_url(re.compile(r"/releases/\?year=2025&year=2024#results$"))  # the newest year first
    assert page.get_by_role("heading", name=f"{both.count()} releases matching these filters").is_visible()


def test_reader_compares_two_releases_picked_by_name(seeded, page):
    page.goto("/releases/compare/")

    page.get_by_label("Qwen 3", exact=True).check()
    page.get_by_label("Release 1").fill("qwen2.5")
    page.get_by_role("button", name="Compare").click()

    page.wait_for_url(re.compile(r"/releases/compare/\?r=qwen-3&r=qwen2\.5#comparison-title$"))
    headers = page.locator("table.compare thead th").all_inner_texts()
    assert headers == ["Qwen 3", "Qwen 2.5"]


def test_reader_follows_a_release_to_its_passage_and_back(seeded, page):
    page.goto("/releases/qwen-2/")

    page.get_by_role("link", name="“The History of Qwen”").click()

    page.wait_for_url(re.compile(r"/articles/the-history-of-qwen/#rapid-iteration-2024$"))
    heading = page.get_by_role("heading", level=2, name="Rapid Iteration (2024)")
    assert heading.is_visible()
    assert heading.evaluate("element => element.matches(':target')")

    page.locator(".prose").get_by_role("link", name="Qwen 2", exact=True).click()

    page.wait_for_url(re.compile(r"/releases/qwen-2/$"))
    assert page.get_by_role("heading", level=1, name="Qwen 2").is_visible()


def test_reader_searches_and_opens_a_highlighted_result(seeded, page):
    page.goto("/")

    page.get_by_role("searchbox", name="Search articles and releases").fill("reasoning")
    page.keyboard.press("Enter")

    page.wait_for_url(re.compile(r"/search/\?q=reasoning$"))
    results = page.locator(".search-results > li")
    assert results.count() > 0
    assert results.first.locator("mark").first.inner_text().lower().startswith("reason")
    page.locator(".search-results").get_by_role("link", name="QwQ-32B", exact=True).click()
    page.wait_for_url(re.compile(r"/releases/qwq-32b/$"))
    assert page.get_by_role("heading", level=1, name="QwQ-32B").is_visible()
