"""Preview links: a draft of any publishable entry, shown to someone without an account."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import formats, timezone


class PreviewLinkQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True, expires_at__gt=timezone.now())


class PreviewLink(models.Model):
    """A signed, expiring, revocable link that shows a draft to someone without an account."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    entry = GenericForeignKey("content_type", "object_id")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = PreviewLinkQuerySet.as_manager()

    class Meta:
        # The table it has had since it lived in the articles app (moved by a state-only migration).
        db_table = "articles_previewlink"
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["content_type", "object_id"], name="previewlink_entry")]

    def __str__(self):
        until = formats.date_format(timezone.localtime(self.expires_at), "Y-m-d H:i T")
        return f"Preview of {self.entry} until {until}"

    @property
    def is_active(self):
        return self.revoked_at is None and self.expires_at > timezone.now()
