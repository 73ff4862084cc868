from django.apps import AppConfig


class ReleasesConfig(AppConfig):
    name = "releases"
    verbose_name = "Release catalogue"

    def ready(self):
        from qwensite import freshness  # noqa: F401  connects the content-change receivers
