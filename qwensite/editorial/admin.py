"""The editorial admin shared by articles and releases, and the admin of preview links.

One base form and one base ModelAdmin give every publishable entry the same workflow:
history with diff, revert and recovery (django-simple-history), optimistic locking
(django-concurrency), a link to the public page and share-a-draft preview links.

The publication rules (a published entry needs a time; a draft cannot be given a time in
the past) are the model's own (qwensite/editorial/publishing.py), so that the API and the import
apply them too; the form shows their messages on the publication-time field.
"""

import datetime as dt
from decimal import Decimal

from concurrency.admin import ConcurrentModelAdmin
from concurrency.api import disable_concurrency
from concurrency.config import CONCURRENCY_LIST_EDITABLE_POLICY_ABORT_ALL
from concurrency.forms import ConcurrentForm
from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.utils import unquote
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import router, transaction
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.text import capfirst
from simple_history.admin import SimpleHistoryAdmin

from qwensite.editorial.models import PreviewLink
from qwensite.editorial.previews import preview_url
from qwensite.editorial.publishing import Status, moment
from qwensite.editorial.revisions import (
    changes_between,
    compared_fields,
    current_revision,
    publication_warning,
    revisions,
)

PREVIEW_LIFETIMES = [
    (1, "1 hour"),
    (24, "1 day"),
    (24 * 7, "7 days"),
    (24 * 30, "30 days"),
]


def permission(model, action):
    """The name of the permission to ``action`` (add, change, ...) rows of ``model``."""
    return f"{model._meta.app_label}.{action}_{model._meta.model_name}"


class PlainDecimalField(forms.DecimalField):
    """A decimal shown as people write it: "7", "0.5", "235" (not the stored "7.000")."""

    def prepare_value(self, value):
        if isinstance(value, Decimal):
            return f"{value.normalize():f}"
        return super().prepare_value(value)


def conflict_message(instance):
    """Why a save was refused: someone saved the entry after it was opened (who and when, from its history)."""
    latest = instance.history.filter(**{instance._meta.pk.attname: instance.pk}).select_related("history_user")
    latest = latest.order_by("-history_date").first()
    who = f" by {latest.history_user}" if latest and latest.history_user else ""
    when = f" at {timezone.localtime(latest.history_date):%H:%M:%S}" if latest else ""
    return (
        f"Not saved: this {instance._meta.verbose_name} was changed{who}{when} after you opened it, "
        "and saving would overwrite their changes. Copy anything you want to keep, reload the "
        "page to see the current version, then make your changes again."
    )


class EditorialForm(ConcurrentForm):
    """A ModelForm with optimistic locking (the publication rules are the model's: qwensite/publishing.py)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The admin's date and time inputs share one <label>; name each for assistive technology.
        field = self.fields.get("published_at")
        if field is not None and isinstance(field.widget, forms.MultiWidget):
            for widget, part in zip(field.widget.widgets, ("date", "time"), strict=False):
                widget.attrs.setdefault("aria-label", f"{capfirst(field.label)}: {part}")

    def clean(self):
        cleaned = forms.ModelForm.clean(self)
        self._check_version(cleaned)
        return cleaned

    def _check_version(self, cleaned):
        instance = self.instance
        if instance.pk is None:
            return
        field = instance._concurrencymeta.field.name
        submitted = cleaned.get(field)
        stored_rows = type(instance)._base_manager.select_for_update().filter(pk=instance.pk)
        stored = stored_rows.values_list(field, flat=True).first()
        if stored is None or submitted is None or int(submitted) == stored:
            return
        raise ValidationError(
            {NON_FIELD_ERRORS: conflict_message(instance)},
            code="conflict",
        )


class EditorialAdmin(SimpleHistoryAdmin, ConcurrentModelAdmin):
    """History, revert, recovery, optimistic locking and links to the public page."""

    form = EditorialForm
    save_on_top = True
    change_form_template = "admin/editorial/change_form.html"
    change_list_template = "admin/editorial/change_list.html"
    object_history_template = "admin/editorial/object_history.html"
    check_concurrent_action = False
    list_editable_policy = CONCURRENCY_LIST_EDITABLE_POLICY_ABORT_ALL
    # django-concurrency overrides the deprecated log_deletion() only to skip conflicts in
    # list_editable, which these admins do not use; keep Django's own deletion logging.
    log_deletion = admin.ModelAdmin.log_deletion

    def get_readonly_fields(self, request, obj=None):
        return (*super().get_readonly_fields(request, obj), "public_link")

    @admin.display(description="public page")
    def public_link(self, obj):
        if obj is None or obj.pk is None:
            return "Available once saved."
        label = "View on the site" if getattr(obj, "is_published", True) else "Preview as readers will see it"
        return format_html('<a href="{}">{}</a>', obj.get_absolute_url(), label)

    actions = ["publish_now", "take_back_to_draft"]

    @admin.action(description="Publish the selected entries now", permissions=["change"])
    def publish_now(self, request, queryset):
        now, count = timezone.now(), 0
        for obj in queryset:
            if obj.is_published:
                continue
            obj.status, obj.published_at = Status.PUBLISHED, now
            obj._change_reason = "Published now from the list"
            obj.save()
            self.log_change(request, obj, "Published now.")
            count += 1
        self.message_user(request, f"{count} entr{'y' if count == 1 else 'ies'} published now.", messages.SUCCESS)

    @admin.action(description="Take the selected entries back to draft", permissions=["change"])
    def take_back_to_draft(self, request, queryset):
        count = 0
        for obj in queryset.exclude(status=Status.DRAFT):
            obj.status = Status.DRAFT
            obj._change_reason = "Taken back to draft from the list"
            obj.save()
            self.log_change(request, obj, "Taken back to draft.")
            count += 1
        self.message_user(request, f"{count} entr{'y' if count == 1 else 'ies'} taken back to draft.", messages.SUCCESS)

    @admin.display(description="state", ordering="status")
    def publication_state(self, obj):
        return obj.publication_state

    # The entry's state, told truthfully: a badge on the form, and after a save a message
    # saying what readers now see.
    def last_live_record(self, obj):
        """The latest recorded version of ``obj`` that readers saw (published, its time come), or None."""
        if obj is None or obj.pk is None:
            return None
        records = self.model.history.filter(**{self.opts.pk.attname: obj.pk}, status=Status.PUBLISHED)
        records = records.filter(published_at__lte=timezone.now()).exclude(history_type="-")
        return records.order_by("-history_date").first()

    def publication_badge(self, obj):
        """``(label, detail)`` of the entry's state for the change form."""
        if obj is None or obj.pk is None:
            return "Draft", "New: readers see nothing until it is published."
        if obj.is_published:
            return "Published", f"Readers see it, since {moment(obj.published_at)}."
        if obj.is_scheduled:
            return obj.publication_state, "Readers see it from then; until then only editors do."
        live = self.last_live_record(obj)
        if live is not None:
            return (
                "Changed since published",
                f"A draft now: readers no longer see it. It was last published as of {moment(live.history_date)}.",
            )
        return "Draft", "Readers do not see it."

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        label, detail = self.publication_badge(obj)
        context.update(publication_badge=label, publication_detail=detail)
        if label == "Changed since published":
            context["compare_live_url"] = reverse(self.url_name("compare_live"), args=[obj.pk])
        return super().render_change_form(request, context, add, change, form_url, obj)

    def save_model(self, request, obj, form, change):
        was_live = change and self.model.objects.filter(pk=obj.pk).published().exists()
        super().save_model(request, obj, form, change)
        request._editorial_outcome = self.outcome(obj, was_live)

    @staticmethod
    def outcome(obj, was_live):
        """What a save did to what readers see, in words."""
        if obj.is_published:
            return "Published: readers see the change now." if was_live else "Published: readers see it now."
        if obj.is_scheduled:
            return f"Scheduled for {moment(obj.published_at)}: readers see it from then."
        if was_live:
            return "Taken back to draft: readers no longer see it."
        return "Saved as a draft: readers do not see it."

    def message_user(self, request, message, level=messages.INFO, extra_tags="", fail_silently=False):
        outcome = getattr(request, "_editorial_outcome", None)
        if outcome and level == messages.SUCCESS:
            message = format_html("{} {}", outcome, message)
            request._editorial_outcome = None
        super().message_user(request, message, level, extra_tags, fail_silently)

    # Revisions: an entry with the rows that belong to it (``revision_follows``), read from the
    # history of each table (qwensite/editorial/revisions.py).
    revision_follows = ()
    object_history_list_template = "admin/editorial/object_history_list.html"

    def entry_revisions(self, obj, records):
        return revisions(self.model, self.revision_follows, obj.pk, list(records))

    def entry_record(self, obj, history_id):
        record = self.model.history.filter(**{self.opts.pk.attname: obj.pk}, history_id=history_id).first()
        if record is None:
            raise Http404("No such version of this entry.")
        return record

    def set_history_delta_changes(self, request, historical_records, foreign_keys_are_objs=True):
        """Each listed version's changes in words, its related rows' included (sizes: "Qwen3-8B: 7B → 8B")."""
        records = list(historical_records)
        if not records:
            return
        oldest = records[-1]
        before = (
            self.model.history.filter(**{self.opts.pk.attname: getattr(oldest, self.opts.pk.attname)})
            .filter(history_date__lt=oldest.history_date)
            .order_by("-history_date")
            .first()
        )
        listed = self.entry_revisions(oldest.instance, [*records, *([before] if before else [])])
        for index, record in enumerate(records):
            older = listed[index + 1] if index + 1 < len(listed) else None
            record.readable_changes = (
                [str(change) for change in changes_between(self.model, self.revision_follows, older, listed[index])]
                if older is not None
                else []
            )
            record.is_first = older is None

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        """Revert to a version: a confirmation that lists what will change, and says first what
        readers will see after when the status or the publication time differ; then the entry and
        its related rows are restored in one transaction, as an ordinary save (which bumps the
        version, so that a tab opened before is refused)."""
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404("This entry was deleted; recover it from the list of deleted entries.")
        if not self.has_change_permission(request, obj) or self.revert_disabled(request, obj):
            raise PermissionDenied
        (target,) = self.entry_revisions(obj, [self.entry_record(obj, version_id)])
        changes = changes_between(
            self.model, self.revision_follows, current_revision(obj, self.revision_follows), target
        )
        warning = publication_warning(obj, target.entry)
        form = RevertForm(
            request.POST or None,
            initial={"version": getattr(obj, obj._concurrencymeta.field.attname)},
            publication_warning=warning,
        )
        if request.method == "POST" and form.is_valid():
            try:
                self.revert(request, obj, target, form.cleaned_data["version"])
            except ValidationError as error:
                form.add_error(None, error.messages)
            else:
                self.log_change(request, obj, f"Reverted to the version of {moment(target.record.history_date)}.")
                fresh = self.model._base_manager.get(pk=obj.pk)
                request._editorial_outcome = self.outcome(fresh, obj.is_published)
                self.message_user(
                    request,
                    f"“{fresh}” is back to the version of {moment(target.record.history_date)}.",
                    messages.SUCCESS,
                )
                return HttpResponseRedirect(reverse(self.url_name("change"), args=[obj.pk]))
        context = {
            **self.admin_site.each_context(request),
            "title": f"Revert “{obj}” to the version of {moment(target.record.history_date)}",
            "opts": self.opts,
            "object": obj,
            "record": target.record,
            "changes": changes,
            "warning": warning,
            "adminform": helpers.AdminForm(form, [(None, {"fields": list(form.fields)})], {}),
            "form": form,
        }
        return TemplateResponse(request, "admin/editorial/revert_confirm.html", context)

    def revert(self, request, obj, target, version):
        """Restore ``target`` (a Revision): the entry's fields, then its related rows; all or nothing."""
        reason = f"Reverted to the version of {moment(target.record.history_date)}"
        with transaction.atomic(using=router.db_for_write(self.model)):
            stored = self.model._base_manager.select_for_update().get(pk=obj.pk)
            if getattr(stored, stored._concurrencymeta.field.attname) != version:
                raise ValidationError(conflict_message(stored))
            for field in compared_fields(self.model):
                setattr(stored, field.attname, getattr(target.entry, field.attname))
            stored.validate_unique()
            stored._change_reason = reason
            stored.save()
            self.restore_related(request, stored, target, reason)
            self.model._base_manager.get(pk=obj.pk).full_clean()

    def restore_related(self, request, instance, target, reason):
        """Bring the follows' rows back to ``target``'s: remove those it did not have, write the others."""
        for follow in self.revision_follows:
            wanted = target.related[follow.name]
            for row in follow.model._base_manager.filter(**{follow.fk: instance.pk}):
                if row.pk not in wanted:
                    row._change_reason = reason
                    row.delete()
            for row in wanted.values():
                row._change_reason = reason
                row.save()

    def compare_view(self, request, object_id):
        """What changed between two versions of an entry, field by field, its related rows' included."""
        records = self.model.history.filter(**{self.opts.pk.attname: unquote(object_id)})
        try:
            chosen = [int(request.GET[key]) for key in ("from", "to")]
        except (KeyError, ValueError):
            raise Http404("Choose two versions to compare.") from None
        old, new = (records.filter(history_id=history_id).first() for history_id in chosen)
        if old is None or new is None:
            raise Http404("No such version of this entry.")
        obj = self.get_object(request, unquote(object_id)) or records.latest("history_date").instance
        if not self.has_view_history_or_change_history_permission(request, obj):
            raise PermissionDenied
        if old.history_date > new.history_date:
            old, new = new, old
        older, newer = self.entry_revisions(obj, [old, new])
        changes = changes_between(self.model, self.revision_follows, older, newer)
        context = {
            **self.admin_site.each_context(request),
            "title": f"Compare versions of “{obj}”",
            "opts": self.opts,
            "object": obj,
            "old": old,
            "new": new,
            "old_heading": f"Version of {moment(old.history_date)}",
            "new_heading": f"Version of {moment(new.history_date)}",
            "changes": [{"field": c.what, "old": c.old, "new": c.new} for c in changes],
            "can_revert": not self.revert_disabled(request, obj) and self.has_change_permission(request, obj),
        }
        return TemplateResponse(request, "admin/editorial/compare.html", context)

    def compare_live_view(self, request, object_id):
        """A draft of an entry readers saw before, side by side with the version they last saw:
        what they will see once it is published again, the changed fields marked."""
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404
        if not self.has_view_history_or_change_history_permission(request, obj):
            raise PermissionDenied
        live = None if obj.is_published else self.last_live_record(obj)
        if live is None:
            raise Http404("Readers see this entry as it is now, or have never seen it: there is nothing to compare.")
        (seen,) = self.entry_revisions(obj, [live])
        changes = changes_between(self.model, self.revision_follows, seen, current_revision(obj, self.revision_follows))
        context = {
            **self.admin_site.each_context(request),
            "title": f"Compare “{obj}” with the version readers last saw",
            "opts": self.opts,
            "object": obj,
            "intro": (
                f"Readers see nothing of this {self.opts.verbose_name} now: "
                f"{f'it is scheduled for {moment(obj.published_at)}' if obj.is_scheduled else 'it is a draft'}. "
                f"Left, the version they last saw (saved {moment(live.history_date)}); right, what they will "
                "see once it is published again. Changed fields only."
            ),
            "old_heading": "Readers last saw",
            "new_heading": "Readers will see",
            "changes": [{"field": c.what, "old": c.old, "new": c.new} for c in changes],
            "can_revert": False,
        }
        return TemplateResponse(request, "admin/editorial/compare.html", context)

    # Recovery of deleted entries from their last historical record.
    def get_urls(self):
        def route(pattern, view, suffix):
            return path(pattern, self.admin_site.admin_view(view), name=self.url_name(suffix).removeprefix("admin:"))

        return [
            route("deleted/", self.deleted_view, "deleted"),
            route("deleted/<int:history_id>/recover/", self.recover_view, "recover"),
            route("<path:object_id>/share/", self.share_view, "share"),
            route("<path:object_id>/history/compare/", self.compare_view, "compare"),
            route("<path:object_id>/history/compare-live/", self.compare_live_view, "compare_live"),
            *super().get_urls(),
        ]

    def url_name(self, suffix):
        return f"admin:{self.opts.app_label}_{self.opts.model_name}_{suffix}"

    def deleted_records(self):
        existing = self.model._base_manager.values("pk")
        return (
            self.model.history.filter(history_type="-")
            .exclude(**{f"{self.opts.pk.attname}__in": existing})
            .select_related("history_user")
            .order_by("-history_date")
        )

    def deleted_view(self, request):
        if not (self.has_add_permission(request) and self.has_view_history_or_change_history_permission(request)):
            raise PermissionDenied
        records, seen = [], set()
        for record in self.deleted_records():
            object_id = getattr(record, self.opts.pk.attname)
            if object_id not in seen:
                seen.add(object_id)
                records.append(record)
        context = {
            **self.admin_site.each_context(request),
            "title": f"Recover deleted {self.opts.verbose_name_plural}",
            "opts": self.opts,
            "records": records,
            "recover_url_name": self.url_name("recover"),
        }
        return TemplateResponse(request, "admin/editorial/deleted.html", context)

    def recover_view(self, request, history_id):
        if not (self.has_add_permission(request) and self.has_view_history_or_change_history_permission(request)):
            raise PermissionDenied
        record = self.deleted_records().filter(history_id=history_id).first()
        if record is None:
            raise Http404("No deleted entry with that history record.")
        if request.method != "POST":
            context = {
                **self.admin_site.each_context(request),
                "title": f"Recover {record.instance}",
                "opts": self.opts,
                "record": record,
            }
            return TemplateResponse(request, "admin/editorial/recover_confirm.html", context)
        instance = record.instance
        try:
            instance.full_clean(validate_unique=True)
        except ValidationError as error:
            self.message_user(request, f"Cannot recover {instance}: {'; '.join(error.messages)}", messages.ERROR)
            return HttpResponseRedirect(reverse(self.url_name("deleted")))
        with transaction.atomic(), disable_concurrency(instance):
            instance._history_user = request.user
            instance._change_reason = "Recovered after deletion"
            instance.save(force_insert=True)
            self.recover_related(request, instance, record)
        self.log_addition(request, instance, [{"added": {}}])
        self.message_user(request, f"Recovered {self.opts.verbose_name} “{instance}”.", messages.SUCCESS)
        return HttpResponseRedirect(reverse(self.url_name("change"), args=[instance.pk]))

    def recover_related(self, request, instance, record):
        """Recover what was deleted together with the entry (overridden where that applies)."""

    # Share a draft: signed, expiring, revocable preview links.
    def share_view(self, request, object_id):
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404
        if not self.has_change_permission(request, obj) or not request.user.has_perm(permission(PreviewLink, "add")):
            raise PermissionDenied
        content_type = ContentType.objects.get_for_model(self.model)
        form = SharePreviewForm(request.POST or None)
        status = 200
        if request.method == "POST" and "revoke" in request.POST:
            if not request.user.has_perm(permission(PreviewLink, "change")):
                raise PermissionDenied
            working = PreviewLink.objects.active().filter(content_type=content_type, object_id=obj.pk)
            revoke = RevokePreviewForm(request.POST, links=working)
            if revoke.is_valid():
                working.filter(pk=revoke.cleaned_data["revoke"].pk).update(revoked_at=timezone.now())
                self.message_user(request, "The preview link was revoked: it no longer works.", messages.SUCCESS)
                return HttpResponseRedirect(request.path)
            self.message_user(request, " ".join(revoke.errors["revoke"]), messages.ERROR)
            form, status = SharePreviewForm(), 400
        if request.method == "POST" and form.is_valid():
            link = PreviewLink.objects.create(
                content_type=content_type,
                object_id=obj.pk,
                created_by=request.user,
                expires_at=timezone.now() + dt.timedelta(hours=int(form.cleaned_data["lifetime"])),
            )
            self.message_user(
                request,
                f"Preview link created; it works until {moment(link.expires_at)}.",
                messages.SUCCESS,
            )
            return HttpResponseRedirect(request.path)
        links = PreviewLink.objects.filter(content_type=content_type, object_id=obj.pk).select_related("created_by")
        context = {
            **self.admin_site.each_context(request),
            "title": f"Share a preview of “{obj}”",
            "opts": self.opts,
            "original": obj,
            "form": form,
            "links": [(link, request.build_absolute_uri(preview_url(link))) for link in links],
        }
        return TemplateResponse(request, "admin/editorial/share.html", context, status=status)


class RevertForm(forms.Form):
    """The revert confirmation: the version the editor saw, and, where readers would see something
    else after, an explicit yes to that."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    confirm_publication = forms.BooleanField(required=False)

    def __init__(self, *args, publication_warning="", **kwargs):
        super().__init__(*args, **kwargs)
        self.publication_warning = publication_warning
        if publication_warning:
            self.fields["confirm_publication"].label = f"Yes: {publication_warning}"
        else:
            del self.fields["confirm_publication"]

    def clean(self):
        cleaned = super().clean()
        if self.publication_warning and not cleaned.get("confirm_publication"):
            self.add_error(
                "confirm_publication",
                f"{self.publication_warning} Tick the box to confirm, or cancel.",
            )
        return cleaned


class RevokePreviewForm(forms.Form):
    """Which of the entry's working preview links to revoke (``links``)."""

    revoke = forms.ModelChoiceField(
        queryset=None,
        error_messages={
            "required": "Choose the preview link to revoke.",
            "invalid_choice": "That is not a working preview link of this entry (revoked or expired already?): "
            "nothing was revoked.",
        },
    )

    def __init__(self, *args, links, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["revoke"].queryset = links


class SharePreviewForm(forms.Form):
    lifetime = forms.TypedChoiceField(
        label="Link works for",
        choices=PREVIEW_LIFETIMES,
        coerce=int,
        initial=24,
        help_text="Anyone with the link can read the entry as it is now, without an account, until it expires.",
    )


@admin.register(PreviewLink)
class PreviewLinkAdmin(admin.ModelAdmin):
    list_display = ["entry_title", "content_type", "created_by", "created_at", "expires_at", "is_active", "link"]
    list_filter = ["content_type", ("revoked_at", admin.EmptyFieldListFilter)]
    list_select_related = ["content_type", "created_by"]
    date_hierarchy = "created_at"
    readonly_fields = ["entry_title", "content_type", "object_id", "created_by", "created_at", "link"]
    fields = ["entry_title", "link", "created_by", "created_at", "expires_at", "revoked_at"]
    actions = ["revoke"]

    def has_add_permission(self, request):
        # Links are created from the entry they share ("Share a preview" on its page).
        return False

    @admin.display(description="entry")
    def entry_title(self, obj):
        return str(obj.entry) if obj.entry is not None else f"(deleted entry {obj.object_id})"

    @admin.display(boolean=True, description="works")
    def is_active(self, obj):
        return obj.is_active

    @admin.display(description="link")
    def link(self, obj):
        if not obj.is_active:
            return "No longer works"
        return format_html('<a href="{0}">{0}</a>', preview_url(obj))

    @admin.action(description="Revoke the selected preview links", permissions=["change"])
    def revoke(self, request, queryset):
        count = queryset.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
        self.message_user(request, f"{count} preview link(s) revoked.", messages.SUCCESS)
