from django.apps import AppConfig


class EditorialConfig(AppConfig):
    """The publishing workflow both content apps share: its preview links live here."""

    name = "qwensite.editorial"
    label = "editorial"
    verbose_name = "Editorial"
    default_auto_field = "django.db.models.BigAutoField"
