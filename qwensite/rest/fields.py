"""Serializer fields that take only the JSON types the schema states, and cheap link building."""

from django.db import models
from rest_framework import serializers

from qwensite.rest.writes import save_validated
from qwensite.routing.reversal import around_argument, surroundings
from qwensite.seo.origin import absolute


def timestamp(value):
    """A datetime as DRF writes it: ISO 8601, UTC as ``Z``."""
    if value is None:
        return None
    text = value.isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


class Links:
    """Absolute URLs of one kind of entry on the site's public address, reversed once per process
    (qwensite.routing) rather than once per row."""

    def __init__(self, lookup="slug", **viewnames):
        self._parts = {}
        where = surroundings()  # read once for every name: 20 us each time
        for key, viewname in viewnames.items():
            prefix, suffix = around_argument(viewname, lookup, where)
            self._parts[key] = (absolute(prefix), suffix)  # the site's address, never the Host header

    def __call__(self, key, slug):
        prefix, suffix = self._parts[key]
        return f"{prefix}{slug}{suffix}"


class StrictCharField(serializers.CharField):
    """Text must be sent as a JSON string: a number is not silently turned into one."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictSlugField(StrictCharField, serializers.SlugField):
    pass


class StrictIntegerField(serializers.IntegerField):
    """A whole number must be sent as a JSON integer, not as a string, a float or a boolean."""

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictDecimalField(serializers.DecimalField):
    """A decimal must be sent as a JSON number."""

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int | float):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictBooleanField(serializers.BooleanField):
    """A boolean must be sent as JSON true or false, not as "yes", 1 or "true"."""

    def to_internal_value(self, data):
        if not isinstance(data, bool):
            self.fail("invalid", input=data)
        return data


class StrictPrimaryKeyRelatedField(serializers.PrimaryKeyRelatedField):
    """A related entry named by its id, sent as a JSON integer."""

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int):
            self.fail("incorrect_type", data_type=type(data).__name__)
        return super().to_internal_value(data)


class StrictManyRelatedField(serializers.ManyRelatedField):
    """A list of related entries must be sent as a JSON array (an object is not a list of its keys)."""

    def to_internal_value(self, data):
        if not isinstance(data, list):
            self.fail("not_a_list", input_type=type(data).__name__)
        return super().to_internal_value(data)


class StrictModelSerializer(serializers.ModelSerializer):
    """A ModelSerializer whose fields take only the JSON types the schema states."""

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.CharField: StrictCharField,
        models.TextField: StrictCharField,
        models.SlugField: StrictSlugField,
        models.IntegerField: StrictIntegerField,
        models.PositiveIntegerField: StrictIntegerField,
        models.DecimalField: StrictDecimalField,
        models.BooleanField: StrictBooleanField,
    }
    serializer_related_field = StrictPrimaryKeyRelatedField

    def model_field_paths(self):
        """Where each writable model field sits in this serializer, for the model's own messages.

        ``{"source_section": ("source", "section"), "body": ("body_markdown",)}``: a field of a
        nested serializer that reads the whole instance (``source="*"``) is under its name.
        """
        paths = {}
        for name, field in self.fields.items():
            if field.read_only:
                continue
            if isinstance(field, serializers.Serializer) and field.source == "*":
                nested = field.fields.items()
                paths.update({sub.source: (name, sub_name) for sub_name, sub in nested if not sub.read_only})
            elif field.source != "*":
                paths[field.source] = (name,)
        return paths

    def save_instance(self, instance, validated_data, **kwargs):
        """save_validated() with the model's messages placed on this serializer's fields."""
        return save_validated(instance, fields=validated_data, error_paths=self.model_field_paths(), **kwargs)
