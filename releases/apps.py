from django.apps import AppConfig


class ReleasesConfig(AppConfig):
    name = "releases"
    verbose_name = "Release catalogue"

    def ready(self):
        from qwensite.freshness.state import track
        from releases.models import ModelRelease, ReleaseSize

        track(ModelRelease, ReleaseSize)  # readers see these rows: an edit renews the content state
