import re

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def test_reader_opens_the_article_from_home_and_sees_its_sections(seeded, page):
    page.goto("/")
    page.get_by_role("link", name="The History of Qwen").first.click()

    assert re.search(r"/articles/the-history-of-qwen/$", page.url)
    assert page.get_by_role("heading", level=2, name="Rapid Iteration (2024)").is_visible()
    assert page.get_by_text("2 minutes to read").is_visible()
