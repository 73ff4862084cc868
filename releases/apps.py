from django.apps import AppConfig


class ReleasesConfig(AppConfig):
    name = "releases"
    verbose_name = "Release catalogue"

    def ready(self):
        from qwensite.freshness.state import track
        from releases.models import Claim, ModelRelease, ReleaseSize, Snapshot, Source

        track(
            ModelRelease, ReleaseSize, Source, Claim, Snapshot
        )  # readers see these rows: an edit renews the content state
