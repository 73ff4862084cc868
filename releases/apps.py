from django.apps import AppConfig

CONTENT_KIND = "releases"  # the kind of content of the catalogue (qwensite.freshness.state.track)


class ReleasesConfig(AppConfig):
    name = "releases"
    verbose_name = "Release catalogue"

    def ready(self):
        from articles.models import Article, Author
        from qwensite.freshness.state import shows, track
        from releases.models import Claim, ModelRelease, ReleaseSize, Snapshot, Source

        # Readers see these rows: an edit renews the state of the catalogue's content.
        track(ModelRelease, ReleaseSize, Source, Claim, Snapshot, kind=CONTENT_KIND)
        # A release page, its citation and the API name the article that tells the release (its
        # title, address and author) while readers may see it: those edits renew the catalogue too.
        shows(CONTENT_KIND, Article, "title", "slug", "author")
        shows(CONTENT_KIND, Author, "name", "slug")
