"""No lost updates: the second of two concurrent saves is refused and says why."""

import pytest
from django.test import Client
from django.urls import reverse

from releases.models import ModelRelease
from tests.admin_forms import admin_form_data
from tests.factories import ReleaseFactory, ReleaseSizeFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def second_editor(editor):
    other = UserFactory(is_staff=True, username="second")
    other.groups.set(editor.groups.all())
    client = Client()
    client.force_login(other)
    return client


def _url(release):
    return reverse("admin:releases_modelrelease_change", args=[release.pk])


def test_second_save_of_the_same_release_is_refused(editor_client, second_editor):
    release = ReleaseFactory(name="Original")
    mine = admin_form_data(editor_client.get(_url(release)))
    theirs = admin_form_data(second_editor.get(_url(release)))
    theirs["name"] = "Saved first"
    second_editor.post(_url(release), theirs)
    mine["name"] = "Saved second"

    response = editor_client.post(_url(release), mine)

    assert response.status_code == 200
    assert ModelRelease.objects.get(pk=release.pk).name == "Saved first"


def test_refusal_says_who_changed_it_and_how_to_proceed(editor_client, second_editor):
    release = ReleaseFactory()
    mine = admin_form_data(editor_client.get(_url(release)))
    theirs = admin_form_data(second_editor.get(_url(release)))
    second_editor.post(_url(release), {**theirs, "summary": "Their summary."})

    response = editor_client.post(_url(release), {**mine, "summary": "My summary."})

    message = " ".join(response.context["adminform"].form.non_field_errors())
    assert "was changed by second" in message
    assert "reload the page" in message


def test_stale_save_does_not_touch_the_sizes_either(editor_client, second_editor):
    release = ReleaseFactory()
    ReleaseSizeFactory(release=release, label="7B")
    mine = admin_form_data(editor_client.get(_url(release)))
    second_editor.post(_url(release), admin_form_data(second_editor.get(_url(release))))
    mine["sizes-0-label"] = "renamed"

    editor_client.post(_url(release), mine)

    assert list(release.sizes.values_list("label", flat=True)) == ["7B"]


def test_saving_twice_in_a_row_from_fresh_pages_works(editor_client):
    release = ReleaseFactory()
    editor_client.post(_url(release), admin_form_data(editor_client.get(_url(release))))

    response = editor_client.post(_url(release), admin_form_data(editor_client.get(_url(release))))

    assert response.status_code == 302


def test_each_save_bumps_the_version(editor_client):
    release = ReleaseFactory()
    before = ModelRelease.objects.get(pk=release.pk).version

    editor_client.post(_url(release), admin_form_data(editor_client.get(_url(release))))

    assert ModelRelease.objects.get(pk=release.pk).version != before


def test_tampered_unsigned_version_is_refused_as_a_bad_request(editor_client):
    release = ReleaseFactory(name="Original")
    data = admin_form_data(editor_client.get(_url(release)))
    data["version"] = "12345"
    data["name"] = "Tampered"

    response = editor_client.post(_url(release), data)

    assert response.status_code == 400
    assert ModelRelease.objects.get(pk=release.pk).name == "Original"
