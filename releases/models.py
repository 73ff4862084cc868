import functools
import re
from decimal import Decimal

from concurrency.fields import AutoIncVersionField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Max, Min, Q
from django.utils import timezone
from license_expression import get_spdx_licensing
from simple_history.models import HistoricalRecords

from qwensite.editorial.publishing import Publishable, PublishableQuerySet, Status
from qwensite.fulltext.vectors import SearchIndexed
from qwensite.routing.reversal import reverse_slug


class DatePrecision(models.TextChoices):
    MONTH = "month", "Month"
    DAY = "day", "Day"


class Access(models.TextChoices):
    OPEN_WEIGHTS = "open_weights", "Open weights"
    CLOSED_BETA = "closed_beta", "Closed beta"
    API_ONLY = "api_only", "API only"


class Kind(models.TextChoices):
    GENERAL = "general", "General"
    CODER = "coder", "Coder"
    MATH = "math", "Math"
    REASONING = "reasoning", "Reasoning"


class Architecture(models.TextChoices):
    DENSE = "dense", "Dense"
    MOE = "moe", "Mixture of experts"


spdx_licensing = functools.cache(get_spdx_licensing)  # the SPDX list, loaded once per process
# Licences that are not on the SPDX list but name a model's terms (checked as written).
NAMED_LICENCES = ("Qwen License", "Qwen Research License", "Tongyi Qianwen License")


def validate_licence(value):
    """An SPDX licence expression, or one of NAMED_LICENCES; the message names what is accepted."""
    if not value or value in NAMED_LICENCES:
        return
    info = spdx_licensing().validate(value)
    if info.errors:
        raise ValidationError(
            f"“{value}” is not an SPDX licence expression (such as Apache-2.0 or MIT OR Apache-2.0) "
            f"nor a named licence ({', '.join(NAMED_LICENCES)})."
        )


def billions(value):
    """A parameter count in billions without trailing zeros: 72B, 0.5B, 235B (never 7.2E+1B)."""
    return f"{Decimal(value).normalize():f}B"


class ReleaseQuerySet(PublishableQuerySet):
    def with_sizes(self):
        return self.prefetch_related("sizes")

    def for_lists(self):
        """Without the stored search vectors: a list never shows them, and each costs a parse."""
        return self.defer(*self.model.search_vectors)

    def open_weights(self):
        return self.filter(open_weights=True)


class ModelRelease(SearchIndexed, Publishable):
    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=120, unique=True)
    release_date = models.DateField(
        help_text="With month precision, give the first of the month: only the month is shown."
    )
    date_precision = models.CharField(max_length=5, choices=DatePrecision.choices, default=DatePrecision.MONTH)
    access = models.CharField(max_length=12, choices=Access.choices)
    open_weights = models.BooleanField(editable=False, help_text="Derived from access.")
    context_length = models.PositiveIntegerField(
        "context length (tokens)", null=True, blank=True, help_text="Leave empty where the source does not say."
    )
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.GENERAL)
    summary = models.TextField(max_length=2000)
    notable_claims = models.TextField(max_length=2000, blank=True)
    source_article = models.ForeignKey(
        "articles.Article", on_delete=models.PROTECT, related_name="releases", verbose_name="source article"
    )
    source_section = models.SlugField(
        max_length=120, help_text="Anchor of the article section that tells this release's story."
    )
    source_quote = models.TextField("source passage", max_length=2000, help_text="The passage, quoted verbatim.")
    predecessor = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="successors")
    min_size_b = models.DecimalField(max_digits=9, decimal_places=3, null=True, blank=True, editable=False)
    max_size_b = models.DecimalField(max_digits=9, decimal_places=3, null=True, blank=True, editable=False)
    sizes_are_range = models.BooleanField(
        "sizes are the bounds of a range",
        default=False,
        help_text="The source gives a range (“all sizes from 0.5B to 72B”) and the sizes entered are its smallest "
        "and largest, not every size: readers see “0.5B to 72B”.",
    )
    disputed = models.BooleanField(
        default=False,
        editable=False,
        db_index=True,
        help_text="Sources of the same or a higher tier disagree on a value.",
    )
    version = AutoIncVersionField()
    # Full-text search (qwensite.search), on PostgreSQL: the release's own words, and apart from
    # them its source passage, which readers may search only once its article is published.
    search_vector = SearchVectorField(null=True, editable=False)
    quote_vector = SearchVectorField(null=True, editable=False)

    objects = ReleaseQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["search_vector", "quote_vector"])
    search_vectors = {
        "search_vector": {"name": "A", "summary": "B", "notable_claims": "C"},
        "quote_vector": {"source_quote": "C"},
    }

    class Meta:
        ordering = ["-release_date", "name"]
        get_latest_by = "release_date"
        constraints = [
            models.CheckConstraint(
                condition=Q(open_weights=True, access=Access.OPEN_WEIGHTS)
                | (Q(open_weights=False) & ~Q(access=Access.OPEN_WEIGHTS)),
                name="release_open_weights_matches_access",
                violation_error_message="Open-weight status must match the access kind.",
            ),
            models.CheckConstraint(
                condition=~Q(predecessor=models.F("pk")),
                name="release_not_own_predecessor",
                violation_error_message="A release cannot be its own predecessor.",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "published_at", "release_date"], name="release_published_date"),
            # The catalogue's order (newest first, then by name) read straight from an index,
            # for all published releases and for the open-weights filter: no sort, and a page
            # stops reading after its rows.
            # The key closes the order (every list is ordered totally, qwensite/freshness/keyset.py),
            # so that a deep page's seek starts its scan at its first row and reads no sort; it
            # also holds published_at (PostgreSQL), so that the keys of a list's page boundaries
            # are read from the index alone (qwensite/freshness/pagination.py).
            models.Index(
                fields=["status", "-release_date", "name", "id"],
                include=["published_at"],
                name="release_catalogue_order",
            ),
            models.Index(fields=["open_weights", "-release_date", "name", "id"], name="release_open_order"),
            models.Index(fields=["release_date", "name"], name="release_date_name"),
            models.Index(fields=["max_size_b"], name="release_max_size"),
            models.Index(fields=["kind", "release_date"], name="release_kind_date"),
            GinIndex(fields=["search_vector"], name="release_search"),
            GinIndex(fields=["quote_vector"], name="release_quote_search"),
        ]

    def __str__(self):
        return self.name

    def derive(self):
        """Set what is derived from other fields (open_weights, from access): before validation
        (so that the constraints see the row as it will be stored) and on every save."""
        self.open_weights = self.access == Access.OPEN_WEIGHTS

    def save(self, *args, **kwargs):
        self.derive()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse_slug("releases:detail", self.slug)

    def clean_fields(self, exclude=None):
        self.derive()  # first step of full_clean(): every later check sees the derived values
        super().clean_fields(exclude)

    def clean(self):
        super().clean()
        errors = {}
        if self.date_precision == DatePrecision.MONTH and self.release_date and self.release_date.day != 1:
            errors["release_date"] = (
                "With month precision the date must be the first of the month; "
                "choose day precision to record the exact day."
            )
        if self.predecessor_id and self.pk and self.predecessor_id == self.pk:
            errors["predecessor"] = "A release cannot be its own predecessor."
        # The section must be a heading anchor of the source article (an unknown article is a
        # field error of its own, from clean_fields()), and the passage must stand word for word
        # in it (the article's rule, as for a claim's quote).
        article = None
        if self.source_article_id is not None:
            try:
                article = self.source_article
            except self._meta.get_field("source_article").related_model.DoesNotExist:
                pass
        if article is not None and self.source_section:
            problem = article.passage_error(self.source_section, self.source_quote)
            if self.source_section not in dict(article.sections):
                errors["source_section"] = problem
            elif problem and self.source_quote:
                errors["source_quote"] = problem
        errors.update(self._claimed_value_errors())
        errors.update(self._unsourced_value_errors())
        if errors:
            raise ValidationError(errors)

    def _unsourced_value_errors(self):
        """A first publication (of a draft, or of a new entry saved as published) needs a preferred
        claim for every value the release states, its sizes' included: ``{field: message}``, the
        sizes' under ``status``."""
        if self.status != Status.PUBLISHED:
            return {}
        if self.pk is not None and (
            type(self).objects.filter(pk=self.pk, status=Status.PUBLISHED).exists()
            or type(self).history.filter(id=self.pk, status=Status.PUBLISHED).exists()
        ):
            return {}  # published before (an edit, a recovery, a return from draft): not a first publication
        claimed = {(claim.size.label if claim.size else None, claim.field) for claim in self._preferred_claims()}
        if any((None, event) in claimed for event in CATALOGUE_DATE_EVENTS):
            claimed.add((None, "release_date"))
        stated = ["release_date", "access", *(["context_length"] if self.context_length is not None else [])]
        errors = {
            field: f"Publishing needs a source for the {RELEASE_FIELDS[field].lower()}: add a preferred claim."
            for field in stated
            if (None, field) not in claimed
        }
        missing = [
            f"{SIZE_FIELDS[field].lower()} of {size.label}"
            for size in self._sizes_to_check()
            for field in SIZE_FIELDS
            if column_value(size, field) and (size.label, field) not in claimed
        ]
        if missing:
            errors["status"] = (
                f"Publishing needs a source for the {', '.join(missing)}: add a preferred claim for each."
            )
        if errors and self.pk is None and self.incoming is None:
            errors.setdefault("status", "Save the release as a draft with its claims first, then publish it.")
        return errors

    def _claimed_value_errors(self):
        if self.pk is None and self.incoming is None:
            return {}
        claims = [claim for claim in self._preferred_claims() if claim.size is None and claim.field not in EVENT_FIELDS]
        return claimed_value_errors(self, claims)

    # What an import is about to save with this release (releases.resources.Incoming: its sizes
    # and claims, unsaved); while it is set, validation reads them instead of the stored ones.
    incoming = None

    def _preferred_claims(self):
        if self.incoming is not None and self.incoming.claims is not None:
            return [claim for claim in self.incoming.claims if claim.preferred]
        return list(self.claims.preferred().select_related("source", "size")) if self.pk else []

    def _sizes_to_check(self):
        if self.incoming is not None and self.incoming.sizes is not None:
            return self.incoming.sizes
        return list(self.sizes.all()) if self.pk else []

    def apply_claims(self):
        """Project the preferred claims onto the release's and its sizes' columns, log each value
        that moves, and recompute whether sources disagree. Called on every save and delete of
        a claim, in its transaction."""
        claims = list(self.claims.select_related("source", "size"))
        preferred = {(claim.size_id, claim.field): claim for claim in claims if claim.preferred}
        release_changes, size_changes, log = {}, {}, []
        catalogue_date = preferred.get((None, "release_date")) or _first_event(preferred)
        if catalogue_date is not None:
            preferred[(None, "release_date")] = catalogue_date
        for (size_id, field), claim in preferred.items():
            if size_id is None and field in EVENT_FIELDS:
                continue  # an event has no column; it is listed on the release page
            target = claim.size if size_id else self
            old = column_value(target, field)
            if old == claim.value:
                continue
            value = claim.typed_value
            if field == "release_date":
                release_changes.update(release_date=value[0], date_precision=value[1])
            elif size_id is None:
                release_changes[field] = value
            else:
                size_changes.setdefault(size_id, {})[field] = value
            log.append(
                ValueChange(
                    release=self,
                    size_label=claim.size.label if size_id else "",
                    field=field,
                    old_value=old,
                    new_value=claim.value,
                    source=claim.source,
                )
            )
        disputed_fields = [key for key, claim in preferred.items() if _disputes(claim, claims)]
        disputed = bool(disputed_fields)
        in_dispute = Q(pk__in=[])
        for size_id, field in disputed_fields:
            in_dispute |= Q(size_id=size_id, field=field) if size_id else Q(size__isnull=True, field=field)
        self.claims.filter(in_dispute).update(disputed=True)
        self.claims.exclude(in_dispute).update(disputed=False)
        if "access" in release_changes:
            release_changes["open_weights"] = release_changes["access"] == Access.OPEN_WEIGHTS
        self.updated_at = timezone.now()
        for name, value in {**release_changes, "disputed": disputed}.items():
            setattr(self, name, value)
        type(self).objects.filter(pk=self.pk).update(**release_changes, disputed=disputed, updated_at=self.updated_at)
        for size_id, changes in size_changes.items():
            ReleaseSize.objects.filter(pk=size_id).update(**changes)
        if size_changes:
            self.refresh_size_range()
        ValueChange.objects.bulk_create(log)

    @property
    def release_date_display(self):
        """The release date at its stated precision: "September 2023" or "8 September 2023"."""
        if self.date_precision == DatePrecision.DAY:
            return f"{self.release_date.day} {self.release_date:%B %Y}"
        return f"{self.release_date:%B %Y}"

    @property
    def year(self):
        return self.release_date.year

    @property
    def sizes_display(self):
        """The sizes as sizes: "0.5B to 72B" for a stated range, else each size once ("57B (MoE), 72B");
        "" where the source states none. Reads the (prefetched) sizes."""
        sizes = sorted(self.sizes.all(), key=lambda size: size.parameters_b)
        if not sizes:
            return ""
        if self.sizes_are_range and len(sizes) > 1:
            moe = " (MoE included)" if any(size.architecture == Architecture.MOE for size in sizes) else ""
            return f"{billions(sizes[0].parameters_b)} to {billions(sizes[-1].parameters_b)}{moe}"
        shown = dict.fromkeys(
            f"{billions(size.parameters_b)}{' (MoE)' if size.architecture == Architecture.MOE else ''}"
            for size in sizes
        )
        return ", ".join(shown)

    @property
    def checkpoint_names(self):
        """The checkpoints the source names ("Qwen3-235B-A22B"), apart from the sizes."""
        return [size.label for size in self.sizes.all() if size.names_a_checkpoint]

    def refresh_size_range(self):
        """Store the smallest and largest total size, which lists sort and filter on."""
        bounds = self.sizes.aggregate(low=Min("parameters_b"), high=Max("parameters_b"))
        self.min_size_b, self.max_size_b = bounds["low"], bounds["high"]
        # A change of sizes is a change of the release: its updated_at moves too.
        self.updated_at = timezone.now()
        type(self).objects.filter(pk=self.pk).update(
            min_size_b=self.min_size_b, max_size_b=self.max_size_b, updated_at=self.updated_at
        )


SIZE_ONLY_LABEL = re.compile(
    r"\d+(?:\.\d+)?\s*[BMT](?:\s*\(?(?:MoE|dense|mixture[- ]of[- ]experts)\)?)?", re.IGNORECASE
)


class ReleaseSize(models.Model):
    release = models.ForeignKey(ModelRelease, on_delete=models.CASCADE, related_name="sizes")
    label = models.CharField(max_length=80, help_text='As the source names it, e.g. "Qwen3-235B-A22B".')
    parameters_b = models.DecimalField("total parameters (billions)", max_digits=9, decimal_places=3, db_index=True)
    active_parameters_b = models.DecimalField(
        "active parameters (billions)",
        max_digits=9,
        decimal_places=3,
        null=True,
        blank=True,
        help_text="For mixture-of-experts models, where the source gives it.",
    )
    architecture = models.CharField(
        max_length=5, choices=Architecture.choices, blank=True, help_text="Empty where the source does not say."
    )
    context_native = models.PositiveIntegerField(
        "native context (tokens)", null=True, blank=True, help_text="Leave empty where the source does not say."
    )
    context_extended = models.PositiveIntegerField(
        "extended context (tokens)",
        null=True,
        blank=True,
        help_text="With context extension (such as YaRN), where the source gives it.",
    )
    licence = models.CharField(
        max_length=120,
        blank=True,
        validators=[validate_licence],
        help_text="An SPDX expression (Apache-2.0, MIT OR Apache-2.0) or a named licence such as the Qwen License; "
        "empty where the source does not say.",
    )
    commercial_use = models.BooleanField(
        "commercial use allowed", null=True, blank=True, help_text="Empty where the source does not say."
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["parameters_b", "label"]
        constraints = [
            models.UniqueConstraint(
                fields=["release", "label"],
                name="size_label_unique_per_release",
                violation_error_message="This release already has a size with that label.",
            ),
            models.CheckConstraint(
                condition=Q(parameters_b__gt=0),
                name="size_parameters_positive",
                violation_error_message="Total parameters must be above zero.",
            ),
            models.CheckConstraint(
                condition=Q(active_parameters_b__isnull=True)
                | Q(active_parameters_b__gt=0, active_parameters_b__lte=models.F("parameters_b")),
                name="size_active_not_above_total",
                violation_error_message="Active parameters cannot exceed total parameters.",
            ),
            models.CheckConstraint(
                condition=Q(context_native__isnull=True)
                | Q(context_extended__isnull=True)
                | Q(context_extended__gte=models.F("context_native")),
                name="size_extended_context_not_below_native",
                violation_error_message="The extended context cannot be shorter than the native one.",
            ),
            models.CheckConstraint(
                condition=Q(active_parameters_b__isnull=True) | Q(architecture=Architecture.MOE),
                name="size_active_only_for_moe",
                violation_error_message="Only a mixture-of-experts size has a separate active-parameter count.",
            ),
        ]
        indexes = [models.Index(fields=["release", "parameters_b"], name="size_release_params")]

    def __str__(self):
        return self.label

    def save(self, *args, **kwargs):
        with transaction.atomic():
            super().save(*args, **kwargs)
            self.release.refresh_size_range()

    def delete(self, *args, **kwargs):
        with transaction.atomic():
            result = super().delete(*args, **kwargs)
            self.release.refresh_size_range()
        return result

    # The preferred claims an import is about to save for this size (releases.resources), unsaved;
    # while set, validation reads them instead of the stored ones.
    incoming_claims = None

    def clean(self):
        super().clean()
        if self.incoming_claims is not None:
            claims = self.incoming_claims
        elif self.pk is not None:
            claims = self.claims.preferred().select_related("source")
        else:
            claims = []
        errors = claimed_value_errors(self, claims)
        if errors:
            raise ValidationError(errors)

    @property
    def names_a_checkpoint(self):
        """Whether the label names a checkpoint ("Qwen3-235B-A22B"), not only the size ("72B", "57B MoE")."""
        return not SIZE_ONLY_LABEL.fullmatch(self.label.strip())

    @property
    def effective_active_b(self):
        """Parameters used per token: the active count where one is stated (MoE), else the total."""
        return self.active_parameters_b if self.active_parameters_b is not None else self.parameters_b


def column_value(target, field):
    """A release's or a size's column as a claim writes it: "2023-09", "open_weights", "8192", "0.5"."""
    value = getattr(target, field)
    if value is None:
        return ""
    if field == "release_date":
        return f"{value:%Y-%m}" if target.date_precision == DatePrecision.MONTH else value.isoformat()
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _first_event(preferred):
    """The preferred claim of the first event of CATALOGUE_DATE_EVENTS a release has, if any."""
    return next((preferred[(None, event)] for event in CATALOGUE_DATE_EVENTS if (None, event) in preferred), None)


def claimed_value_errors(target, preferred_claims):
    """``{field: message}`` for each column its preferred claim gives differently: a value
    that a claim backs changes through the claim, so the record and its source stay one."""
    return {
        claim.field: (
            f"The preferred claim (from “{claim.source}”) gives {claim.value_display}: "
            "change or add a claim to change this value."
        )
        for claim in preferred_claims
        if column_value(target, claim.field) != claim.value
    }


def _disputes(preferred, claims):
    """Whether a claim of the same field from a source of the same or a higher tier gives another value."""
    return any(
        other.pk != preferred.pk
        and other.size_id == preferred.size_id
        and other.field == preferred.field
        and other.value != preferred.value
        and other.source.tier <= preferred.source.tier
        for other in claims
    )


from releases.provenance import (  # noqa: E402, F401  (they refer to the models above)
    CATALOGUE_DATE_EVENTS,
    EVENT_FIELDS,
    RELEASE_FIELDS,
    SIZE_FIELDS,
    Claim,
    Source,
    ValueChange,
)
from releases.snapshots import Snapshot  # noqa: E402, F401
