"""Bulk import and export of releases (django-import-export), each with its sizes and claims.

One row per release. Its ``sizes`` and ``claims`` are lists of objects: nested in JSON, and in
CSV one cell each holding that list as JSON text, one object per line (qwensite.spreadsheets).
Rows are matched on their slug; the source article and the predecessor are named by slug; a
size is matched on its label; a claim on its size, field, source and value, and its source is
named by the slug of the article of this site it is, or by its URL. A file without a ``sizes``
(or ``claims``) column leaves them as they are; with the column, the cell is the whole list
(empty or ``[]``: none).

Every row is validated like an admin save (``full_clean`` of the release, each size and each
claim, the release checked against the claims of its row), every problem of every row is
reported (``import_problems``), and the whole file runs in one transaction: one bad row refuses
the file, and nothing is written. A row, its sizes and its claims unchanged are not written.
"""

import dataclasses
import datetime as dt
import json
import re

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from import_export import fields, resources, widgets

from articles.models import Article
from qwensite.spreadsheets.cells import StructuredCell
from releases.models import Claim, ModelRelease, ReleaseSize, Source
from releases.provenance import Basis, parse_value

SIZE_KEYS = [
    "label",
    "parameters_b",
    "active_parameters_b",
    "architecture",
    "context_native",
    "context_extended",
    "licence",
    "commercial_use",
]
CLAIM_KEYS = [
    "field",
    "size",
    "value",
    "source",
    "quote",
    "locator",
    "basis",
    "derivation",
    "as_of",
    "checked_on",
    "preferred",
    "note",
]
CLAIM_REQUIRED = ["field", "value", "source", "quote", "locator"]
CLAIM_TEXT = ["field", "value", "quote", "locator", "basis", "derivation", "note"]
CLAIM_DATES = ["as_of", "checked_on"]
ITEM_NUMBER = re.compile(r"^(?:size|claim) ([0-9]+)\b")
CLAIM_COMPARED = [*CLAIM_TEXT, *CLAIM_DATES, "preferred"]
# What a widget's failure means, in words (the value is shown beside it).
WIDGET_REASONS = [
    (widgets.IntegerWidget, "not a whole number."),
    (widgets.DateTimeWidget, "not a date and time: write it as 2025-04-01 09:30:00."),
    (widgets.DateWidget, "not a date: write it as 2025-04-01."),
]


class SlugWidget(widgets.ForeignKeyWidget):
    """A related entry named by its slug; an unknown slug is a plain reason."""

    def __init__(self, model, noun):
        super().__init__(model, field="slug")
        self.noun = noun

    def clean(self, value, row=None, **kwargs):
        try:
            return super().clean(value, row, **kwargs)
        except ObjectDoesNotExist:
            raise ValueError(f"no {self.noun} has this slug.") from None


@dataclasses.dataclass
class Incoming:
    """A row's sizes and claims as they will be saved (``None``: the file leaves them as they are)."""

    sizes: list | None = None
    claims: list | None = None
    changed: list = dataclasses.field(default_factory=list)  # new or edited, in saving order
    removed: list = dataclasses.field(default_factory=list)  # stored, not in the file


def _cell_items(row, column, errors):
    """The objects of ``row``'s structured cell ``column``; None when the file has no such column
    or the cell holds no list (then its reason is in ``errors``)."""
    if column not in row:
        return None
    try:
        return _items(row[column], column)
    except ValidationError as error:
        errors[column] = error.messages
        return None


def _items(cell, what):
    """The list of objects a structured cell holds (a list in JSON, JSON text in CSV)."""
    if cell is None or cell == "":
        return []
    if isinstance(cell, str):
        try:
            cell = json.loads(cell)
        except ValueError as error:
            raise ValidationError(
                f"not a list of {what} in JSON ({error.msg} at character {error.pos + 1}): "
                f'write it as [{{"key": "value", ...}}, ...], or leave it empty.'
            ) from None
    if not isinstance(cell, list) or not all(isinstance(item, dict) for item in cell):
        raise ValidationError(f'not a list of {what}: write it as [{{"key": "value", ...}}, ...], or leave it empty.')
    return cell


def _text(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value).strip()


def _unknown_keys(item, keys, name):
    unknown = sorted(set(item) - set(keys))
    if unknown:
        return [f"{name}: unknown key {', '.join(unknown)}; the keys are {', '.join(keys)}."]
    return []


def _messages(name, error):
    if hasattr(error, "error_dict"):
        return [f"{name}, {field}: {message}" for field, errors in error.message_dict.items() for message in errors]
    return [f"{name}: {message}" for message in error.messages]


def _source_reference(source):
    return source.article.slug if source.article_id else source.url


def _find_source(reference):
    """The source a claim names: an article of this site by its slug, or any other by its URL."""
    if reference.startswith("https://") or reference.startswith("http://"):
        found = list(Source.objects.filter(url=reference)[:2])
        missing = "no source in the register has this URL: add it under Sources first."
    else:
        found = list(Source.objects.filter(article__slug=reference).select_related("article")[:2])
        missing = (
            "no source in the register is an article of this site with this slug "
            "(name another source by its URL): add it under Sources first."
        )
    if not found:
        raise ValidationError(missing)
    if len(found) > 1:
        raise ValidationError("several sources of the register have this address: keep one of them.")
    return found[0]


class ReleaseResource(resources.ModelResource):
    source_article = fields.Field(
        attribute="source_article", column_name="source_article", widget=SlugWidget(Article, "article")
    )
    predecessor = fields.Field(
        attribute="predecessor", column_name="predecessor", widget=SlugWidget(ModelRelease, "release")
    )
    sizes = fields.Field(column_name="sizes")
    claims = fields.Field(column_name="claims")

    class Meta:
        model = ModelRelease
        import_id_fields = ["slug"]
        fields = [
            "slug",
            "name",
            "release_date",
            "date_precision",
            "access",
            "context_length",
            "kind",
            "summary",
            "notable_claims",
            "source_article",
            "source_section",
            "source_quote",
            "predecessor",
            "status",
            "published_at",
            "sizes",
            "claims",
        ]
        export_order = fields
        use_transactions = True
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True

    # Export

    def filter_export(self, queryset, **kwargs):
        return queryset.prefetch_related("sizes", "claims__size", "claims__source__article")

    def dehydrate_sizes(self, release):
        return StructuredCell(
            {
                "label": size.label,
                "parameters_b": _number(size.parameters_b),
                "active_parameters_b": _number(size.active_parameters_b),
                "architecture": size.architecture or None,
                "context_native": size.context_native,
                "context_extended": size.context_extended,
                "licence": size.licence or None,
                "commercial_use": size.commercial_use,
            }
            for size in release.sizes.all()
        )

    def dehydrate_claims(self, release):
        return StructuredCell(
            {
                "field": claim.field,
                "size": claim.size.label if claim.size_id else None,
                "value": claim.value,
                "source": _source_reference(claim.source),
                "quote": claim.quote,
                "locator": claim.locator,
                "basis": claim.basis,
                "derivation": claim.derivation,
                "as_of": claim.as_of.isoformat() if claim.as_of else None,
                "checked_on": claim.checked_on.isoformat() if claim.checked_on else None,
                "preferred": claim.preferred,
                "note": claim.note,
            }
            for claim in release.claims.all()
        )

    # Import

    def before_import(self, dataset, **kwargs):
        super().before_import(dataset, **kwargs)
        self._slug_lines = {}

    def import_instance(self, instance, row, **kwargs):
        errors = {}
        line = kwargs["row_number"] + 1  # the header is line 1
        first = self._slug_lines.setdefault(row.get("slug"), line)
        if first != line:
            errors["slug"] = [f"line {first} of this file already has this slug."]
        for field in self.get_import_fields():
            if field.attribute is None:
                continue
            try:
                self.import_field(field, instance, row, **kwargs)
            except (ValueError, ArithmeticError) as error:
                errors[field.attribute] = [_widget_reason(field.widget, error)]
        instance.incoming = Incoming()
        self._read_sizes(instance, row, errors)
        self._read_claims(instance, row, errors)
        if errors:
            raise ValidationError(errors)

    def _read_sizes(self, release, row, errors):
        items = _cell_items(row, "sizes", errors)
        if items is None:
            return
        stored = {size.label: size for size in release.sizes.all()} if release.pk else {}
        sizes, messages, labels = [], [], set()
        for number, item in enumerate(items, 1):
            label = _text(item.get("label"))
            name = f"size {number}" + (f" ({label})" if label else "")
            messages += _unknown_keys(item, SIZE_KEYS, name)
            if not label:
                messages.append(f"{name}: give its label, such as Qwen3-8B.")
                continue
            if label in labels:
                messages.append(f"{name}: this row already has a size labelled {label}.")
                continue
            labels.add(label)
            size = stored.get(label) or ReleaseSize(release=release, label=label)
            before = _values(size, SIZE_KEYS)
            for key in SIZE_KEYS[1:]:
                text = _text(item.get(key))
                if not text:
                    if key == "parameters_b":
                        messages.append(f"{name}, parameters_b: give the total parameters in billions, such as 7.")
                    setattr(size, key, "" if key in ("licence", "architecture") else None)
                    continue
                try:
                    setattr(size, key, parse_value(key, text))
                except ValidationError as error:
                    messages += [f"{name}, {key} “{text}”: {message}" for message in error.messages]
            size.import_name = name
            if size.pk is None or _values(size, SIZE_KEYS) != before:
                release.incoming.changed.append(size)
            sizes.append(size)
        release.incoming.sizes = sizes
        release.incoming.removed += [size for label, size in stored.items() if label not in labels]
        if messages:
            errors["sizes"] = messages

    def _read_claims(self, release, row, errors):
        items = _cell_items(row, "claims", errors)
        if items is None:
            return
        sizes = release.incoming.sizes
        if sizes is None:
            sizes = list(release.sizes.all()) if release.pk else []
        by_label = {size.label: size for size in sizes}
        stored = {_claim_key(claim): claim for claim in release.claims.select_related("size")} if release.pk else {}
        claims, messages, keys, preferred = [], [], set(), {}
        for number, item in enumerate(items, 1):
            field, label = _text(item.get("field")), _text(item.get("size")) or None
            name = f"claim {number}" + (f" ({field} of {label})" if label else f" ({field})" if field else "")
            values, item_messages = _claim_values(item, name)
            if label is not None and label not in by_label:
                item_messages.append(f"{name}: this row has no size labelled {label}.")
            if item_messages:
                messages += item_messages
                continue
            claim = Claim(release=release, size=by_label.get(label), **values)
            key = _claim_key(claim)
            if key in keys:
                messages.append(f"{name}: this row already has this claim (same field, size, source and value).")
                continue
            keys.add(key)
            if claim.preferred:
                if (label, field) in preferred:
                    of = f" of {label}" if label else ""
                    messages.append(
                        f"{name}: claim {preferred[(label, field)]} of this row is already the preferred one "
                        f"for the {field}{of}: mark only one."
                    )
                    continue
                preferred[(label, field)] = number
            if key in stored:  # the stored claim, with the file's notes, quote and flags
                claim = stored.pop(key)
                before = _values(claim, CLAIM_COMPARED)
                for attribute, value in values.items():
                    setattr(claim, attribute, value)
                claim.size = by_label.get(label)
                if _values(claim, CLAIM_COMPARED) != before:
                    release.incoming.changed.append(claim)
            else:
                release.incoming.changed.append(claim)
            claim.import_name = name
            claims.append(claim)
        release.incoming.claims = claims
        release.incoming.removed = [*stored.values(), *release.incoming.removed]  # claims before sizes
        if messages:
            errors["claims"] = messages

    def skip_row(self, instance, original, row, import_validation_errors=None):
        unchanged = super().skip_row(instance, original, row, import_validation_errors)
        incoming = getattr(instance, "incoming", None)
        return unchanged and not (incoming and (incoming.changed or incoming.removed))

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        errors = dict(import_validation_errors or {})
        incoming = instance.incoming
        child_messages = {"sizes": [], "claims": []}
        claims = incoming.claims if incoming.claims is not None else []
        for claim in claims:
            try:
                claim.full_clean(exclude=["release", "size"])
            except ValidationError as error:
                child_messages["claims"] += _messages(claim.import_name, error)
        for size in incoming.sizes or []:
            if incoming.claims is not None:
                size.incoming_claims = [claim for claim in claims if claim.preferred and claim.size is size]
            try:
                size.full_clean(exclude=["release"])
            except ValidationError as error:
                child_messages["sizes"] += _messages(size.import_name, error)
        try:
            super().validate_instance(instance, errors, validate_unique)
        except ValidationError as error:
            errors = error.update_error_dict({})
        for key, messages in child_messages.items():
            if messages:  # each item's reasons together, in the order of the cell
                errors[key] = sorted([*errors.get(key, []), *messages], key=_item_number)
        if errors:
            raise ValidationError(errors)

    def save_instance(self, instance, is_create, row, **kwargs):
        super().save_instance(instance, is_create, row, **kwargs)
        if not self._is_using_transactions(kwargs) and self._is_dry_run(kwargs):
            return
        incoming = instance.incoming
        for entry in incoming.removed:
            entry.delete()
        # Sizes first (claims cite them), then claims losing their preference, then the rest, so
        # that one field never has two preferred claims at once.
        changed = sorted(incoming.changed, key=lambda entry: (isinstance(entry, Claim), getattr(entry, "preferred", 0)))
        for entry in changed:
            if isinstance(entry, Claim):
                entry.release = instance  # the row's release, whose columns its claims keep in step
            entry.save()
        if incoming.changed or incoming.removed:
            instance.apply_claims()


def _item_number(message):
    """The number of the item a message is about ("claim 3 (access): ..." is 3); 0 for the cell."""
    text = message.message if isinstance(message, ValidationError) else message  # one reason each
    found = ITEM_NUMBER.match(str(text))
    return int(found[1]) if found else 0


def _number(value):
    """A decimal count of billions as a JSON number: 7, 0.5."""
    if value is None:
        return None
    value = value.normalize()
    return int(value) if value == value.to_integral_value() else float(value)


def _values(entry, names):
    return [getattr(entry, name) for name in names]


def _claim_key(claim):
    """What identifies a claim within its release: its size, field, source and value."""
    return (claim.size.label if claim.size else None, claim.field, claim.source_id, claim.value)


def _claim_values(item, name):
    """A claim's attributes from a file's object, and what is wrong with them (a source not in the
    register, a date that is no date, a missing required key)."""
    messages = _unknown_keys(item, CLAIM_KEYS, name)
    messages += [f"{name}: give its {key}." for key in CLAIM_REQUIRED if not _text(item.get(key))]
    values = {key: _text(item.get(key)) for key in CLAIM_TEXT}
    values["basis"] = values["basis"] or Basis.DISCLOSED
    values["value"] = _canonical(values["field"], values["value"])
    reference = _text(item.get("source"))
    if reference:
        try:
            values["source"] = _find_source(reference)
        except ValidationError as error:
            messages += [f"{name}, source “{reference}”: {message}" for message in error.messages]
    for key in CLAIM_DATES:
        text = _text(item.get(key))
        try:
            values[key] = dt.date.fromisoformat(text) if text else None
        except ValueError:
            messages.append(f"{name}, {key} “{text}”: not a date: write it as 2025-04-01.")
    if item.get("preferred") not in (None, "", True, False, "true", "false"):
        messages.append(f"{name}, preferred “{_text(item.get('preferred'))}”: write true or false.")
    values["preferred"] = item.get("preferred") in (True, "true")
    return values, messages


def _canonical(field, text):
    """A claim's value as the claim stores it ("2023-09", "0.5"), or as given when it does not parse
    (its claim's validation then says why)."""
    try:
        return Claim(field=field)._canonical(parse_value(field, text))
    except ValidationError:
        return text


def _widget_reason(widget, error):
    for widget_class, reason in WIDGET_REASONS:
        if isinstance(widget, widget_class):
            return reason
    return str(error)
