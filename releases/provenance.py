"""Where each value of the catalogue comes from: a register of sources, and claims that cite them.

A claim is one value of one field of a release (its date, access, context length) or of one of
its sizes (total and active parameters, architecture), with the source that gives it, the
passage quoted verbatim, where in the source it stands, and how the value follows from it
(disclosed by the source, derived from it, or estimated). A field may have several claims; at
most one is preferred (a database constraint), and the release's own columns are the projection
of the preferred claims, kept in step on every save of a claim (``ModelRelease.apply_claims``),
so filters stay on their indexes. A field is *disputed* when another claim from a source of the
same or a higher tier gives a different value.
"""

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models, transaction
from django.db.models import ExpressionWrapper, Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from qwensite.seo.origin import absolute

# releases.models imports this module at its end, once these are defined.
from releases.models import Access, Architecture, DatePrecision, validate_licence

STALE_AFTER = dt.timedelta(days=365)
https_only = URLValidator(schemes=["https"], message="Enter an https:// address.", code="https_only")


class SourceKind(models.TextChoices):
    SITE_ARTICLE = "site_article", "An article of this site"
    WEB_PAGE = "web_page", "Web page"
    PAPER = "paper", "Paper"
    MODEL_CARD = "model_card", "Model card"
    README = "readme", "Repository README"
    BLOG = "blog", "Blog or press release"


class Tier(models.IntegerChoices):
    PRIMARY = 1, "Primary (the lab's own)"
    SECONDARY = 2, "Secondary (press, reference works)"
    TERTIARY = 3, "Tertiary (aggregators)"


class Basis(models.TextChoices):
    DISCLOSED = "disclosed", "Disclosed by the source"
    DERIVED = "derived", "Derived from the source"
    ESTIMATE = "estimate", "Estimate"


class SourceQuerySet(models.QuerySet):
    def readable_by(self, user):
        """Sources ``user`` may read: any external one; an article of this site once it is visible."""
        from articles.models import Article

        return self.filter(Q(article__isnull=True) | Q(article__in=Article.objects.visible_to(user)))


class Source(models.Model):
    kind = models.CharField(max_length=12, choices=SourceKind.choices)
    title = models.CharField(max_length=300)
    publisher = models.CharField("publisher or author", max_length=200)
    url = models.URLField(
        "URL",
        max_length=500,
        blank=True,
        validators=[https_only],
        help_text="https only; none for an article of this site.",
    )
    article = models.ForeignKey(
        "articles.Article",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="citations",
        help_text="For an article of this site: the article (linked, not typed as a URL).",
    )
    published_on = models.DateField("published", null=True, blank=True)
    published_precision = models.CharField(max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY)
    accessed_on = models.DateField("accessed", null=True, blank=True, help_text="Required for an external source.")
    archive_url = models.URLField("archived copy", max_length=500, blank=True, validators=[https_only])
    tier = models.PositiveSmallIntegerField(choices=Tier.choices)
    note = models.TextField(blank=True, max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = SourceQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["tier", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind=SourceKind.SITE_ARTICLE, article__isnull=False, url="")
                | (~Q(kind=SourceKind.SITE_ARTICLE) & Q(article__isnull=True) & ~Q(url="")),
                name="source_article_or_url",
                violation_error_message=(
                    "An article of this site is linked, not given a URL; any other source needs its URL."
                ),
            )
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("releases:sources") + f"#source-{self.pk}"

    @property
    def is_external(self):
        return self.kind != SourceKind.SITE_ARTICLE

    @property
    def link(self):
        """Where a reader finds the source: the article's page on this site, or its URL."""
        return self.article.get_absolute_url() if self.article_id else self.url

    @property
    def public_link(self):
        """``link`` as an absolute URL, on the site's public address for an article of this site."""
        return absolute(self.link) if self.article_id else self.url

    @property
    def published_display(self):
        if self.published_on is None:
            return ""
        if self.published_precision == DatePrecision.MONTH:
            return f"{self.published_on:%B %Y}"
        return f"{self.published_on.day} {self.published_on:%B %Y}"

    def clean(self):
        super().clean()
        errors = {}
        if self.kind == SourceKind.SITE_ARTICLE:
            if self.url:
                errors["url"] = "An article of this site is linked by choosing it, not by a URL."
            if not self.article_id:
                errors["article"] = "Choose the article of this site."
        else:
            if self.article_id:
                errors["article"] = "Only an article of this site is chosen here; give this source's URL."
            if not self.url:
                errors["url"] = "Give the source's https:// address."
            if self.accessed_on is None:
                errors["accessed_on"] = "Give the date the source was read (an external source can change)."
        if self.published_on and self.published_precision == DatePrecision.MONTH and self.published_on.day != 1:
            errors["published_on"] = "With month precision, give the first of the month."
        if errors:
            raise ValidationError(errors)


# What each claimable field holds: (label, where it lives, how its value is written).
# Dated events of a release, each at month or day precision. They have no column of their own;
# the catalogue's date is the preferred release-date claim, or, without one, the first of
# CATALOGUE_DATE_EVENTS that has a preferred claim (ModelRelease.apply_claims).
EVENT_FIELDS = {
    "announced": "Announced",
    "closed_beta": "Closed beta",
    "weights_released": "Weights released",
    "api_available": "API available",
    "paper": "Paper published",
    "deprecated": "Deprecated",
}
CATALOGUE_DATE_EVENTS = ("weights_released", "api_available", "closed_beta", "announced")
RELEASE_FIELDS = {
    "release_date": "Release date",
    "access": "Access",
    "context_length": "Context length",
    **EVENT_FIELDS,
}
DATE_FIELDS = {"release_date", *EVENT_FIELDS}
SIZE_FIELDS = {
    "parameters_b": "Total parameters",
    "active_parameters_b": "Active parameters",
    "architecture": "Architecture",
    "context_native": "Native context",
    "context_extended": "Extended context",
    "licence": "Licence",
    "commercial_use": "Commercial use",
}
FIELD_CHOICES = [*RELEASE_FIELDS.items(), *SIZE_FIELDS.items()]
MONTH_VALUE = re.compile(r"^[0-9]{4}-[0-9]{2}$")
DAY_VALUE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")


def parse_value(field, text):
    """The typed value a claim's text gives ``field``, or a ValidationError saying what is expected.

    Dates are ``2023-09`` (month precision) or ``2023-09-08`` (day); sizes a number of billions
    (``7``, ``0.5``); the context a whole number of tokens; access and architecture their keys.
    """
    text = (text or "").strip()
    if field in DATE_FIELDS:
        try:
            if MONTH_VALUE.match(text):
                return (dt.date.fromisoformat(f"{text}-01"), DatePrecision.MONTH)
            if DAY_VALUE.match(text):
                return (dt.date.fromisoformat(text), DatePrecision.DAY)
        except ValueError:
            pass
        raise ValidationError("Give a date as 2023-09 (a month) or 2023-09-08 (a day) that exists.")
    if field in ("context_length", "context_native", "context_extended"):
        if not text.isascii() or not text.isdigit() or not 0 < int(text) <= 100_000_000:
            raise ValidationError("Give the context length as a whole number of tokens, such as 8192.")
        return int(text)
    if field == "licence":
        if not text:
            raise ValidationError("Give the licence: an SPDX expression such as Apache-2.0, or a named licence.")
        validate_licence(text)
        return text
    if field == "commercial_use":
        if text not in ("true", "false"):
            raise ValidationError("Give true (commercial use allowed) or false.")
        return text == "true"
    if field in ("parameters_b", "active_parameters_b"):
        try:
            number = Decimal(text)
        except InvalidOperation:
            number = None
        if number is None or not number.is_finite() or number <= 0 or number >= 1_000_000 or number != round(number, 3):
            raise ValidationError("Give a number of billions of parameters, such as 7 or 0.5.")
        return number.normalize()
    choices = {"access": Access, "architecture": Architecture}.get(field)
    if choices is None:
        raise ValidationError(f"“{field}” is not a field a claim can give.")
    if text not in choices.values:
        raise ValidationError(f"Give one of: {', '.join(choices.values)}.")
    return text


def display_value(field, text):
    """A claim's value as readers see it: "September 2023", "8,192 tokens", "22B", "Open weights"."""
    try:
        value = parse_value(field, text)
    except ValidationError:
        return text
    if field in DATE_FIELDS:
        day, precision = value
        return f"{day:%B %Y}" if precision == DatePrecision.MONTH else f"{day.day} {day:%B %Y}"
    if field in ("context_length", "context_native", "context_extended"):
        return f"{value:,} tokens"
    if field == "licence":
        return value
    if field == "commercial_use":
        return "Commercial use allowed" if value else "No commercial use"
    if field in ("parameters_b", "active_parameters_b"):
        return f"{value:f}B"
    return {"access": Access, "architecture": Architecture}[field](value).label


class ClaimQuerySet(models.QuerySet):
    def readable_by(self, user):
        """Claims citing a source ``user`` may read (SourceQuerySet.readable_by)."""
        return self.filter(source__in=Source.objects.readable_by(user))

    def preferred(self):
        return self.filter(preferred=True)

    def stale(self, today=None):
        """Claims on an external source not checked for a year."""
        cutoff = (today or timezone.localdate()) - STALE_AFTER
        return self.filter(source__kind__in=[k for k in SourceKind.values if k != SourceKind.SITE_ARTICLE]).filter(
            Q(checked_on__isnull=True) | Q(checked_on__lt=cutoff)
        )


class Claim(models.Model):
    release = models.ForeignKey("releases.ModelRelease", on_delete=models.CASCADE, related_name="claims")
    size = models.ForeignKey(
        "releases.ReleaseSize",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="claims",
        help_text="For a value of one size (parameters, architecture); empty for the release's own.",
    )
    field = models.CharField(max_length=24, choices=FIELD_CHOICES)
    value = models.CharField(
        max_length=120,
        help_text="2023-09 or 2023-09-08 for a date; 7 or 0.5 (billions) for a size; 8192 for a context.",
    )
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="claims")
    quote = models.TextField("passage", max_length=2000, help_text="The source's words, verbatim.")
    locator = models.CharField(
        max_length=200,
        help_text="Where the passage stands: a section anchor of an article of this site, a page, a line.",
    )
    basis = models.CharField(max_length=10, choices=Basis.choices, default=Basis.DISCLOSED)
    derivation = models.CharField(
        "how it is derived or estimated",
        max_length=300,
        blank=True,
        help_text='For a derived or estimated value: how, e.g. "22B active, from the name A22B".',
    )
    as_of = models.DateField("holds as of", null=True, blank=True)
    checked_on = models.DateField(
        "checked", null=True, blank=True, help_text="When the claim was last checked against its source."
    )
    preferred = models.BooleanField(default=False, help_text="The value the catalogue shows for this field.")
    disputed = models.BooleanField(
        default=False, editable=False, help_text="Its field's sources of the same or a higher tier disagree."
    )
    note = models.TextField(blank=True, max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ClaimQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["release", "size", "field", "-preferred", "source__tier", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["release", "field"],
                condition=Q(preferred=True, size__isnull=True),
                name="claim_one_preferred_per_release_field",
                violation_error_message="This field already has a preferred claim: unmark it first.",
            ),
            models.UniqueConstraint(
                fields=["size", "field"],
                condition=Q(preferred=True, size__isnull=False),
                name="claim_one_preferred_per_size_field",
                violation_error_message="This field of this size already has a preferred claim: unmark it first.",
            ),
            models.CheckConstraint(
                condition=Q(size__isnull=True, field__in=list(RELEASE_FIELDS))
                | Q(size__isnull=False, field__in=list(SIZE_FIELDS)),
                name="claim_field_fits_target",
                violation_error_message="A release's own field takes no size; a size's field needs its size.",
            ),
            models.CheckConstraint(
                condition=Q(basis=Basis.DISCLOSED) | ~Q(derivation=""),
                name="claim_derivation_explained",
                violation_error_message="Say how a derived or estimated value follows from the source.",
            ),
        ]
        indexes = [models.Index(fields=["release", "field"], name="claim_release_field")]

    def __str__(self):
        target = f"{self.size.label} " if self.size_id else ""
        return f"{self.release} {target}{self.get_field_display().lower()}: {self.value}"

    def save(self, *args, **kwargs):
        with transaction.atomic():
            super().save(*args, **kwargs)
            self.release.apply_claims()

    def delete(self, *args, **kwargs):
        with transaction.atomic():
            result = super().delete(*args, **kwargs)
            self.release.apply_claims()
        return result

    @property
    def typed_value(self):
        return parse_value(self.field, self.value)

    @property
    def value_display(self):
        return display_value(self.field, self.value)

    def clean(self):
        super().clean()
        errors = {}
        size = self.size  # saved, or (in an import) about to be saved with its release
        if self.field in SIZE_FIELDS and size is None:
            errors["size"] = "Choose the size this value is about."
        if self.field in RELEASE_FIELDS and size is not None:
            errors["size"] = "A release's own field is not about one size: leave the size empty."
        if size is not None and size.release_id and self.release_id and size.release_id != self.release_id:
            errors["size"] = "This size belongs to another release."
        if self.field in dict(FIELD_CHOICES):  # an unknown field is the field's own error
            try:
                value = parse_value(self.field, self.value)
            except ValidationError as error:
                errors["value"] = error.messages
            else:
                self.value = self._canonical(value)
                total = size.parameters_b if size is not None else None
                if self.field == "active_parameters_b" and isinstance(total, Decimal) and value > total:
                    total = total.normalize()
                    errors["value"] = f"Active parameters ({value:f}B) cannot exceed the size's total ({total:f}B)."
        if self.basis != Basis.DISCLOSED and not self.derivation.strip():
            errors["derivation"] = "Say how this value is derived from the source, or why it is an estimate."
        if self.source_id:
            source = self.source
            if source.kind == SourceKind.SITE_ARTICLE and source.article_id and self.quote:
                problem = source.article.passage_error(self.locator, self.quote)
                if problem:
                    # An anchor that is not a heading of the article is the locator's error.
                    errors["quote" if self.locator in dict(source.article.sections) else "locator"] = problem
            if source.is_external and self.checked_on is None and source.accessed_on is None:
                errors["checked_on"] = "Give the date this claim was checked against its source."
        if errors:
            raise ValidationError(errors)

    def _canonical(self, value):
        if self.field in DATE_FIELDS:
            day, precision = value
            return f"{day:%Y-%m}" if precision == DatePrecision.MONTH else day.isoformat()
        if self.field in ("parameters_b", "active_parameters_b"):
            return f"{value:f}"
        if self.field == "commercial_use":
            return "true" if value else "false"
        return str(value)


class ValueChangeQuerySet(models.QuerySet):
    def with_sources_for(self, user):
        """With each change's source, and whether ``user`` may read it (``shown_source``): the
        change is as public as the value it moved, but an article of this site that cites it is
        not named before readers may see it."""
        readable = ExpressionWrapper(Q(source__in=Source.objects.readable_by(user)), output_field=models.BooleanField())
        return self.select_related("source").annotate(source_readable=readable)


class ValueChange(models.Model):
    """A change of a value readers see, moved by its preferred claim: the public change log."""

    release = models.ForeignKey("releases.ModelRelease", on_delete=models.CASCADE, related_name="value_changes")
    size_label = models.CharField(max_length=80, blank=True)
    field = models.CharField(max_length=24, choices=FIELD_CHOICES)
    old_value = models.CharField(max_length=120, blank=True)
    new_value = models.CharField(max_length=120)
    source = models.ForeignKey(Source, on_delete=models.SET_NULL, null=True, related_name="value_changes")
    changed_at = models.DateTimeField(default=timezone.now, db_index=True)

    objects = ValueChangeQuerySet.as_manager()

    class Meta:
        ordering = ["-changed_at", "-pk"]

    def __str__(self):
        return f"{self.release} {self.get_field_display().lower()}: {self.old_value or 'not stated'} → {self.new_value}"

    @property
    def shown_source(self):
        """The source, where the reader may read it (the change read ``with_sources_for`` them)."""
        return self.source if self.source_readable else None

    @property
    def what(self):
        """The value that changed: "Release date", "Total parameters of Qwen3-235B-A22B"."""
        return f"{self.get_field_display()} of {self.size_label}" if self.size_label else self.get_field_display()

    @property
    def old_display(self):
        return display_value(self.field, self.old_value) if self.old_value else "not stated"

    @property
    def new_display(self):
        return display_value(self.field, self.new_value)


class Fact:
    """The claims of one field of a release or a size, as its page shows them: the preferred one
    first, each numbered as a note, and whether their sources disagree."""

    def __init__(self, claims):
        self.claims = claims
        self.disputed = any(claim.disputed for claim in claims)

    @property
    def preferred(self):
        return next((claim for claim in self.claims if claim.preferred), None)


def cited_facts(sizes, claims):
    """Number ``claims`` as notes in the order a reader meets their fields (the release's own,
    then each size's), and group them per field: ``({(size_id, field): Fact}, [notes])``."""
    order = [(None, field) for field in RELEASE_FIELDS] + [(size.pk, field) for size in sizes for field in SIZE_FIELDS]
    by_pk = {size.pk: size for size in sizes}
    grouped = {}
    for claim in claims:
        if claim.size_id in by_pk:
            claim.size = by_pk[claim.size_id]  # the page's sizes: no query per note
        grouped.setdefault((claim.size_id, claim.field), []).append(claim)
    facts, notes = {}, []
    for key in order:
        group = sorted(grouped.get(key, ()), key=lambda claim: (not claim.preferred, claim.source.tier, claim.pk))
        for claim in group:
            notes.append(claim)
            claim.number = len(notes)
        if group:
            facts[key] = Fact(group)
    return facts, notes
