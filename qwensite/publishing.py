"""Editorial publication state shared by articles and releases.

An entry is visible to readers once it is published and its publication time has
come; a publication time in the future schedules it.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.signals import pre_save
from django.dispatch import receiver
from django.utils import timezone


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"


class PublishableQuerySet(models.QuerySet):
    def published(self):
        """Entries readers may see: published and due."""
        return self.filter(status=Status.PUBLISHED, published_at__lte=timezone.now())

    def drafts(self):
        return self.filter(status=Status.DRAFT)

    def scheduled(self):
        return self.filter(status=Status.PUBLISHED, published_at__gt=timezone.now())

    def visible_to(self, user):
        """Everything for staff who may change this model; published entries for everyone else."""
        opts = self.model._meta
        if user.is_authenticated and user.has_perm(f"{opts.app_label}.change_{opts.model_name}"):
            return self
        return self.published()


class Publishable(models.Model):
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True)
    published_at = models.DateTimeField(
        "publication time",
        null=True,
        blank=True,
        help_text="When readers first see this entry. A time in the future schedules publication.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        abstract = True

    @property
    def is_published(self):
        return self.status == Status.PUBLISHED and self.published_at is not None and self.published_at <= timezone.now()

    @property
    def is_scheduled(self):
        return self.status == Status.PUBLISHED and self.published_at is not None and self.published_at > timezone.now()

    def clean(self):
        super().clean()
        if self.status == Status.PUBLISHED and self.published_at is None:
            raise ValidationError({"published_at": "A published entry needs a publication time."})


@receiver(pre_save)
def load_fixtures_as_written(sender, instance, raw=False, **kwargs):
    """Fixture loading (a raw save) keeps the stored version: it neither bumps nor checks it.

    Editors' saves go through django-concurrency's optimistic lock as usual; only
    ``loaddata`` and restores, which write rows exactly as serialized, opt out, so that
    loading the same fixture twice leaves the same rows, and a restored history is the
    history that was backed up.
    """
    if raw and hasattr(sender, "_concurrencymeta"):
        instance._concurrency_disabled = True
        instance._concurrency_disable_increment = True
    if raw:
        # A raw save writes no history (simple_history), but setting the loaded many-to-many
        # rows afterwards would: the history is loaded as serialized, not made up anew.
        instance.skip_history_when_saving = True
