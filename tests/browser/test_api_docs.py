import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def test_api_docs_render_offline_under_the_content_security_policy(page, live_server):
    requested, problems = [], []
    page.on("request", lambda request: requested.append(request.url))
    page.on("console", lambda message: message.type == "error" and problems.append(message.text))

    page.goto("/api/v1/docs/")
    page.get_by_text("/api/v1/releases/{slug}/cite/").first.wait_for()

    assert page.get_by_role("heading", name="qwensite API").first.is_visible()
    assert [url for url in requested if not url.startswith(live_server.url)] == []
    assert [text for text in problems if "Content Security Policy" in text] == []
