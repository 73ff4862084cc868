import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from qwensite.editorial.publishing import Status
from releases.models import Access, Architecture, DatePrecision, ModelRelease
from tests.factories import ArticleFactory, ReleaseFactory, ReleaseSizeFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_str_is_the_release_name():
    assert str(ReleaseFactory(name="Qwen 2")) == "Qwen 2"


def test_absolute_url_uses_the_slug():
    assert ReleaseFactory(slug="qwen-2").get_absolute_url() == "/releases/qwen-2/"


def test_releases_are_ordered_newest_first_then_by_name():
    old = ReleaseFactory(name="Old", release_date=dt.date(2023, 9, 1))
    b = ReleaseFactory(name="B", release_date=dt.date(2024, 9, 1))
    a = ReleaseFactory(name="A", release_date=dt.date(2024, 9, 1))
    assert list(ModelRelease.objects.all()) == [a, b, old]


@pytest.mark.parametrize(
    ("precision", "date", "shown"),
    [
        (DatePrecision.MONTH, dt.date(2023, 9, 1), "September 2023"),
        (DatePrecision.DAY, dt.date(2025, 4, 29), "29 April 2025"),
    ],
)
def test_release_date_is_shown_at_its_precision(precision, date, shown):
    assert ReleaseFactory(date_precision=precision, release_date=date).release_date_display == shown


def test_month_precision_rejects_a_day_other_than_the_first():
    release = ReleaseFactory.build(date_precision=DatePrecision.MONTH, release_date=dt.date(2023, 9, 14))
    with pytest.raises(ValidationError) as excinfo:
        release.full_clean()
    assert "release_date" in excinfo.value.message_dict


@pytest.mark.parametrize(("access", "open_weights"), [(a, a == Access.OPEN_WEIGHTS) for a in Access])
def test_open_weights_follows_the_access_kind(access, open_weights):
    assert ReleaseFactory(access=access).open_weights is open_weights


def test_database_refuses_open_weights_that_contradict_access():
    release = ReleaseFactory(access=Access.API_ONLY)
    with pytest.raises(IntegrityError), transaction.atomic():
        ModelRelease.objects.filter(pk=release.pk).update(open_weights=True)


def test_published_excludes_drafts_and_scheduled_releases():
    live = ReleaseFactory()
    ReleaseFactory(status=Status.DRAFT)
    ReleaseFactory(published_at=timezone.now() + dt.timedelta(days=1))
    assert list(ModelRelease.objects.published()) == [live]


def test_visible_to_gives_editors_drafts_and_readers_only_published():
    from django.contrib.auth.models import AnonymousUser, Permission

    live = ReleaseFactory()
    draft = ReleaseFactory(status=Status.DRAFT)
    editor = UserFactory()
    editor.user_permissions.add(Permission.objects.get(codename="change_modelrelease"))
    editor = type(editor).objects.get(pk=editor.pk)
    assert set(ModelRelease.objects.visible_to(editor)) == {live, draft}
    assert set(ModelRelease.objects.visible_to(AnonymousUser())) == {live}


def test_a_published_release_needs_a_publication_time():
    release = ReleaseFactory.build(status=Status.PUBLISHED, published_at=None, source_article=ArticleFactory())
    with pytest.raises(ValidationError) as excinfo:
        release.full_clean()
    assert "published_at" in excinfo.value.message_dict


def test_size_str_is_its_label():
    assert str(ReleaseSizeFactory(label="Qwen3-235B-A22B", parameters_b=Decimal("235"))) == "Qwen3-235B-A22B"


def test_active_parameters_above_total_fail_validation_with_a_clear_message():
    size = ReleaseSizeFactory.build(
        release=ReleaseFactory(),
        parameters_b=Decimal("57"),
        active_parameters_b=Decimal("60"),
        architecture=Architecture.MOE,
    )
    with pytest.raises(ValidationError) as excinfo:
        size.full_clean()
    assert "Active parameters cannot exceed total parameters." in excinfo.value.messages


def test_database_refuses_active_parameters_above_total():
    size = ReleaseSizeFactory(parameters_b=Decimal("57"), architecture=Architecture.MOE)
    with pytest.raises(IntegrityError), transaction.atomic():
        type(size).objects.filter(pk=size.pk).update(active_parameters_b=Decimal("58"))


def test_dense_size_cannot_carry_an_active_count():
    size = ReleaseSizeFactory.build(
        release=ReleaseFactory(), parameters_b=Decimal("72"), active_parameters_b=Decimal("20")
    )
    with pytest.raises(ValidationError) as excinfo:
        size.full_clean()
    assert "Only a mixture-of-experts size has a separate active-parameter count." in excinfo.value.messages


def test_size_labels_are_unique_within_a_release():
    size = ReleaseSizeFactory(label="72B")
    duplicate = ReleaseSizeFactory.build(release=size.release, label="72B", parameters_b=Decimal("72"))
    with pytest.raises(ValidationError) as excinfo:
        duplicate.full_clean()
    assert "This release already has a size with that label." in excinfo.value.messages


def test_size_range_follows_the_sizes():
    release = ReleaseFactory()
    ReleaseSizeFactory(release=release, parameters_b=Decimal("0.5"))
    big = ReleaseSizeFactory(release=release, parameters_b=Decimal("72"))
    release.refresh_from_db()
    assert (release.min_size_b, release.max_size_b) == (Decimal("0.5"), Decimal("72"))

    big.delete()
    release.refresh_from_db()
    assert (release.min_size_b, release.max_size_b) == (Decimal("0.5"), Decimal("0.5"))


def test_effective_active_size_is_total_for_dense_models():
    dense = ReleaseSizeFactory(parameters_b=Decimal("72"))
    moe = ReleaseSizeFactory(parameters_b=Decimal("235"), active_parameters_b=Decimal("22"), architecture="moe")
    assert (dense.effective_active_b, moe.effective_active_b) == (Decimal("72"), Decimal("22"))


def test_release_changes_are_recorded_in_history():
    release = ReleaseFactory(summary="First")
    release.summary = "Second"
    release.save()
    assert [h.summary for h in release.history.all()] == ["Second", "First"]


def test_a_size_change_moves_the_release_updated_at():
    release = ReleaseFactory()
    before = release.updated_at

    ReleaseSizeFactory(release=release)

    release.refresh_from_db()
    assert release.updated_at > before
