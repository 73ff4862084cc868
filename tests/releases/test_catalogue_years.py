"""The catalogue reads its years menu only to draw its filter form (releases.views.ReleaseListView.filters)."""

import pytest
from django.urls import reverse

from releases import views
from tests.factories import ReleaseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def years_read(monkeypatch):
    reads = []
    catalogue_years = views.catalogue_years
    monkeypatch.setattr(views, "catalogue_years", lambda: reads.append(1) or catalogue_years())
    return reads


def test_a_page_whose_filter_form_is_kept_reads_no_years(client, cold, years_read):
    ReleaseFactory.create_batch(3)
    url = reverse("releases:list")
    first = client.get(url)
    assert years_read == [1]  # drawn once, with the years

    again = client.get(url)

    assert again.content == first.content
    assert years_read == [1]
    assert 'name="year" value="2024"' in again.content.decode()


@pytest.mark.parametrize("query", [{"year": "1999"}, {"year": "abc"}])
def test_a_year_the_menu_does_not_offer_is_shown_ticked(client, cold, years_read, query):
    ReleaseFactory()

    page = client.get(reverse("releases:list"), query)

    assert f'name="year" value="{query["year"]}" checked' in page.content.decode()
    assert years_read == [1]
