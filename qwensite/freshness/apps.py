from django.apps import AppConfig


class FreshnessConfig(AppConfig):
    """What readers see is fresh: the content state, conditional GET and the response cache.
    Its one table is the content version, which the cache's copy of the state is checked against."""

    name = "qwensite.freshness"
    label = "freshness"
    verbose_name = "Freshness"
    default_auto_field = "django.db.models.BigAutoField"
