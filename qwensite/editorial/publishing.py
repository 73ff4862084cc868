"""Editorial publication state shared by articles and releases.

An entry is visible to readers once it is published and its publication time has
come; a publication time in the future schedules it.

Publication rules, checked by the model (so the admin, the API and the import all apply them):

- Published with a time in the past or now: readers see the entry at once.
- Published with a time in the future: the entry is scheduled; readers see it once due.
- Published without a time: refused.
- Draft: readers never see it. A publication time set or changed on a draft must lie in
  the future (the planned date); a time in the past is refused, because a draft cannot
  have been published already. A draft that keeps a time it has had (stored now, as when an
  entry is taken back to draft, or in its recorded history, as when a version is reverted
  or a deleted entry recovered) is accepted unchanged.
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, F, When
from django.db.models.signals import pre_save
from django.dispatch import receiver
from django.utils import timezone
from django.utils.dateformat import format as format_date


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"


def moment(value):
    """A time as editors read it, in the site's time zone and with its name: "12 March 2026, 09:00 UTC"."""
    return format_date(timezone.localtime(value), "j F Y, H:i T")


class PublishableQuerySet(models.QuerySet):
    def published(self, now=None):
        """Entries readers may see: published and due (at ``now``, by default the present)."""
        return self.filter(status=Status.PUBLISHED, published_at__lte=now or timezone.now())

    def scheduled(self):
        return self.filter(status=Status.PUBLISHED, published_at__gt=timezone.now())

    def visible_to(self, user, now=None):
        """Everything for staff who may change this model; published entries for everyone else."""
        if sees_drafts(user, self.model):
            return self
        return self.published(now)


def sees_drafts(user, model):
    """Whether ``user`` may see ``model``'s drafts and scheduled entries: staff who may change it."""
    opts = model._meta
    return user.is_authenticated and user.has_perm(f"{opts.app_label}.change_{opts.model_name}")


def visible_slug(relation, model, user, now=None):
    """An annotation: the slug of the ``model`` entry ``relation`` points to, null when ``user`` may not see it.

    Read through the list's own join on the relation, with its publication state (a CASE on
    the joined row: no subquery per row, none to build and copy with each clone of the
    queryset), so it costs no query, and a reader never learns that a draft or a scheduled
    entry exists.
    """
    slug = F(f"{relation}__slug")
    if sees_drafts(user, model):
        return slug
    due = {f"{relation}__status": Status.PUBLISHED, f"{relation}__published_at__lte": now or timezone.now()}
    return Case(When(**due, then=slug), default=None)


def is_visible_to(entry, user):
    """Whether ``user`` may see ``entry`` (the rule of visible_to, on a row already read)."""
    return entry.is_published or sees_drafts(user, type(entry))


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

    @property
    def publication_state(self):
        """What readers see of the entry now: "Draft", "Scheduled for <time with zone>" or "Published"."""
        if self.is_published:
            return "Published"
        if self.is_scheduled:
            return f"Scheduled for {moment(self.published_at)}"
        return "Draft"

    def clean(self):
        super().clean()
        if self.status == Status.PUBLISHED and self.published_at is None:
            raise ValidationError(
                {
                    "published_at": "A published entry needs a publication time: now or earlier publishes it, "
                    "a time in the future schedules it."
                }
            )
        if (
            self.status == Status.DRAFT
            and self.published_at is not None
            and self.published_at < timezone.now()
            and not self.has_had_publication_time(self.published_at)
        ):
            raise ValidationError(
                {
                    "published_at": "A draft cannot be scheduled for a time in the past. Choose a time in the "
                    "future, leave it empty, or set the status to Published to publish now."
                }
            )

    def has_had_publication_time(self, when):
        """Whether this entry has had ``when`` as its publication time, stored now or in its history.

        Compared to the second: a form shows and sends the time without its microseconds.
        """
        if self.pk is None:
            return False
        model = type(self)
        second = when.replace(microsecond=0)
        same_second = {"published_at__gte": second, "published_at__lt": second + dt.timedelta(seconds=1)}
        if model._base_manager.filter(pk=self.pk, **same_second).exists():
            return True
        history = getattr(model, "history", None)
        return history is not None and history.filter(**{model._meta.pk.attname: self.pk}, **same_second).exists()


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
