import pytest
from django.core.management import CommandError, call_command
from django.db.models import Max, Min

from articles.models import Article
from qwensite.freshness.state import content_state
from releases.models import ModelRelease, ReleaseSize

pytestmark = pytest.mark.django_db

FIELDS = [
    "name",
    "slug",
    "release_date",
    "date_precision",
    "access",
    "open_weights",
    "context_length",
    "kind",
    "summary",
    "notable_claims",
    "source_article__slug",
    "source_section",
    "source_quote",
    "predecessor__slug",
    "min_size_b",
    "max_size_b",
    "status",
    "published_at",
]


def generate(seed=7, releases=40, articles=3):
    call_command("generate_content", releases=releases, articles=articles, seed=seed, batch_size=15, verbosity=0)


def snapshot():
    releases = list(ModelRelease.objects.order_by("slug").values_list(*FIELDS))
    sizes = list(
        ReleaseSize.objects.order_by("release__slug", "label").values_list(
            "release__slug", "label", "parameters_b", "active_parameters_b", "architecture"
        )
    )
    articles = list(Article.objects.order_by("slug").values_list("slug", "title", "body", "published_at"))
    return releases, sizes, articles


def wipe():
    ReleaseSize.objects.all().delete()
    ModelRelease.objects.all().delete()
    Article.objects.all().delete()
    Article.tags.field.related_model.objects.all().delete()
    Article.author.field.related_model.objects.all().delete()


def test_generates_the_requested_numbers_of_rows():
    generate(releases=40, articles=3)

    assert ModelRelease.objects.count() == 40
    assert Article.objects.count() == 3
    assert ReleaseSize.objects.filter(release__isnull=False).count() >= 40


def test_generated_rows_satisfy_every_model_constraint_and_validation():
    generate()

    for release in ModelRelease.objects.all():
        release.full_clean()
    for size in ReleaseSize.objects.select_related("release"):
        size.full_clean()


def test_generated_size_range_matches_each_release_sizes():
    generate()

    for release in ModelRelease.objects.annotate(low=Min("sizes__parameters_b"), high=Max("sizes__parameters_b")):
        assert (release.min_size_b, release.max_size_b) == (release.low, release.high)


def test_generated_releases_cite_a_real_section_of_their_article():
    generate()

    for release in ModelRelease.objects.select_related("source_article"):
        assert release.source_section in [anchor for anchor, _ in release.source_article.sections]
        assert release.source_quote in release.source_article.body


def test_the_same_seed_gives_the_same_rows():
    generate(seed=11)
    first = snapshot()
    wipe()

    generate(seed=11)

    assert snapshot() == first


def test_another_seed_gives_other_rows():
    generate(seed=11)
    first = snapshot()
    wipe()

    generate(seed=12)

    assert snapshot()[0] != first[0]


def test_generation_renews_the_content_state():
    before = content_state()["token"]

    generate()

    assert content_state()["token"] != before


def test_generation_refuses_a_database_that_already_has_generated_content():
    generate()

    with pytest.raises(CommandError, match="already here"):
        generate()
