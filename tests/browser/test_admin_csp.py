"""The admin works under the site's Content-Security-Policy: no violation while an editor works."""

import pytest
from django.contrib.auth.models import Group

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "correct horse battery staple"


def record_csp_violations(page):
    messages = []
    page.on("console", lambda message: messages.append(message.text))
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation', e => "
        "console.error('CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI));"
    )
    return messages


def test_editor_signs_in_and_edits_in_the_admin_without_csp_violations(page):
    UserFactory(username="editor", password=PASSWORD, is_staff=True, is_superuser=True)
    group = Group.objects.get(name="Editors")  # made by migrate, and again after every flush
    messages = record_csp_violations(page)

    page.goto("/admin/login/?next=/admin/")
    page.fill("#id_username", "editor")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/")
    page.goto(f"/admin/auth/group/{group.pk}/change/")
    page.fill("#id_name", "Senior editors")
    page.fill("#id_permissions_input", "article")  # the filter_horizontal widget is built by admin JavaScript
    scripted_widget_works = page.locator("#id_permissions_from option:visible").count() > 0
    page.click("input[name=_save]")
    page.wait_for_url("**/admin/auth/group/")
    page.check("#action-toggle")  # the change list's select-all is admin JavaScript too
    selected_by_script = page.locator(".action-counter").inner_text()

    group.refresh_from_db()
    assert group.name == "Senior editors"
    assert scripted_widget_works
    assert selected_by_script.startswith("1 of 1 selected")
    assert [m for m in messages if "Content Security Policy" in m or "CSP violation" in m] == []
