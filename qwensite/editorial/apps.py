from django.apps import AppConfig


class EditorialConfig(AppConfig):
    """The publishing workflow both content apps share: its preview links live here."""

    name = "qwensite.editorial"
    label = "editorial"
    verbose_name = "Editorial"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import post_migrate

        from qwensite.editorial.groups import complete_editors_group

        post_migrate.connect(complete_editors_group, sender=self, dispatch_uid="complete_editors_group")
