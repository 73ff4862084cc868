"""The busiest reader pages name only variables their templates are given.

A variable a template looks for in vain costs the template engine an exception (raised, caught
and logged at debug level), on every render; the pages read most give each name they read, so
none is looked for in vain when such a page is drawn again (what is drawn once per state of
the content, as the catalogue's filter form, aside). A missing one would still render as
before: this guards the cost.
"""

import logging

import pytest

pytestmark = pytest.mark.django_db

BUSIEST = {
    "catalogue": "/releases/",
    "catalogue-size": "/releases/?min_size=7",
    "release": "/releases/qwen-3/",
    "home": "/",
    "article": "/articles/the-history-of-qwen/",
}


@pytest.mark.parametrize("path", BUSIEST.values(), ids=BUSIEST.keys())
def test_a_busy_page_looks_for_no_variable_in_vain(client, cold, seeded, caplog, path):
    client.get(path, secure=True)  # what is drawn once per state of the content is drawn now
    with caplog.at_level(logging.DEBUG, logger="django.template"):
        response = client.get(path, secure=True)

    assert response.status_code == 200
    missing = [record.getMessage() for record in caplog.records if "resolving variable" in record.getMessage()]
    assert missing == []
