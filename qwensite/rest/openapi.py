"""What the OpenAPI document says beyond what drf-spectacular infers.

The filters' exact value formats (the same patterns and bounds the FilterSets enforce), the
anonymous read access, the CSV representation of lists, and the error responses every
operation can give: 400 with the parameters at fault, 404, 401/403/409 for writes, 429 with
``Retry-After``.
"""

import django_filters as filters
from drf_spectacular.contrib.django_filters import DjangoFilterExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import build_parameter_type
from drf_spectacular.utils import OpenApiParameter
from rest_framework import permissions

from qwensite.filtering.filters import MAX_CSV_VALUES, SLUG_PATTERN, ChoiceValueField

ID_PATTERN = r"^[0-9]+$"
LIST_DESCRIPTION = (
    "Several values mean OR: repeat the parameter ({name}=a&{name}=b) or separate them by commas ({name}=a,b)."
)
WRITE_METHODS = {"post", "put", "patch", "delete"}

ERROR_SCHEMA = {
    "type": "object",
    "description": "What went wrong.",
    "properties": {"detail": {"type": "string"}},
    "required": ["detail"],
}
VALIDATION_ERROR_SCHEMA = {
    "type": "object",
    "description": (
        "Each parameter or field at fault, with what is expected: "
        '`{"year": ["Enter a whole year, such as 2024."]}`. Errors about the whole request are under '
        "`non_field_errors`; an error not about a field is `detail`."
    ),
    "additionalProperties": {
        "oneOf": [{"type": "array", "items": {}}, {"type": "string"}, {"type": "object"}],
    },
}


def value_schema(field_class):
    """The schema of one value of a filter: what the form field class that parses it states."""
    schema = getattr(field_class, "openapi_schema", None)
    return dict(schema) if schema is not None else None


class StrictFilterExtension(DjangoFilterExtension):
    """Publishes the filters' exact value formats, bounds, choices and list lengths."""

    priority = 1

    def resolve_filter_field(self, auto_schema, model, filterset_class, field_name, filter_field):
        parameters = self._resolve(auto_schema, model, filterset_class, field_name, filter_field)
        for parameter in parameters:
            # A parameter given with no value is a 400 (qwensite.filtering.parameters.empty_value_errors).
            schema = parameter["schema"]
            if schema.get("type") == "array":
                schema["minItems"] = 1
            elif schema.get("type") == "string" and "enum" not in schema:
                schema["minLength"] = 1
        return parameters

    def _resolve(self, auto_schema, model, filterset_class, field_name, filter_field):
        value = value_schema(filter_field.field_class)
        choices = filter_field.extra.get("choices")
        if value is None and issubclass(filter_field.field_class, ChoiceValueField) and choices:
            value = {"type": "string", "enum": [key for key, _ in choices]}
        if value is None:
            parameters = super().resolve_filter_field(auto_schema, model, filterset_class, field_name, filter_field)
            max_length = filter_field.extra.get("max_length")
            for parameter in parameters:
                if max_length and parameter["schema"].get("type") == "string":
                    parameter["schema"].update({"maxLength": max_length, "pattern": r"^[^\u0000]*$"})
                if parameter["schema"].get("type") == "array":
                    parameter["schema"]["maxItems"] = MAX_CSV_VALUES
            return parameters
        many = isinstance(filter_field, filters.BaseCSVFilter)
        example = getattr(filter_field, "openapi_example", None)
        if example is not None:
            value["example"] = example
        schema = {"type": "array", "items": value, "maxItems": MAX_CSV_VALUES} if many else value
        description = self._get_field_description(filter_field, None)
        if many:
            description = f"{description}\n\n{LIST_DESCRIPTION.format(name=field_name)}".strip()
        return [
            build_parameter_type(
                name=field_name,
                location=OpenApiParameter.QUERY,
                schema=schema,
                required=False,
                description=description,
                # Repeated keys (form, explode) and the comma form are both accepted and mean OR.
                explode=True if many else None,
                style="form" if many else None,
            )
        ]


class APIAutoSchema(AutoSchema):
    """Reads need no credentials where anonymous clients may read."""

    def get_auth(self):
        auths = super().get_auth()
        perms = [p.__class__ for p in self.view.get_permissions()]
        anonymous_reads = any(issubclass(p, permissions.DjangoModelPermissionsOrAnonReadOnly) for p in perms)
        if anonymous_reads and self.method in permissions.SAFE_METHODS and {} not in auths:
            auths.append({})
        return auths


def _response(description, component):
    return {"description": description, "content": {"application/json": {"schema": {"$ref": component}}}}


def document_errors(result, generator, request, public):
    """Adds the error responses every operation can give, and the ``format`` of lists."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas["Error"] = ERROR_SCHEMA
    schemas["ValidationError"] = VALIDATION_ERROR_SCHEMA
    _partial_nested_objects(schemas)
    error, invalid = "#/components/schemas/Error", "#/components/schemas/ValidationError"
    throttled = {
        **_response("Too many requests from this client; retry after the given number of seconds.", error),
        "headers": {"Retry-After": {"schema": {"type": "integer"}, "description": "Seconds to wait."}},
    }
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            for parameter in operation.get("parameters", []):
                if parameter["in"] == "path":
                    parameter["schema"]["pattern"] = ID_PATTERN if parameter["name"] == "id" else SLUG_PATTERN
            responses = operation.setdefault("responses", {})
            for response in responses.values():
                if "text/csv" in response.get("content", {}):
                    response["content"]["text/csv"] = {
                        "schema": {"type": "string", "description": "The filtered rows as CSV, with a header row."}
                    }
            responses.setdefault("400", _response("A malformed or unknown parameter, or invalid data.", invalid))
            responses.setdefault("429", throttled)
            responses.setdefault("406", _response("None of the accepted media types can be served.", error))
            if "{" in path or _is_list(operation):
                responses.setdefault("404", _response("No such entry (or page), or not visible to you.", error))
            if method in WRITE_METHODS:
                responses.setdefault("401", _response("No credentials, or wrong ones.", error))
                responses.setdefault("403", _response("You may not change this (CSRF, or no permission).", error))
                responses.setdefault("409", _response("Changed by someone else meanwhile, or still in use.", error))
                responses.setdefault("415", _response("Send JSON (Content-Type: application/json).", error))
    return result


def _partial_nested_objects(schemas):
    """In a PATCH body, a nested object (a release's ``source``) may also be partial."""
    for name, component in list(schemas.items()):
        if not name.startswith("Patched"):
            continue
        for prop, sub in component.get("properties", {}).items():
            ref = sub.get("$ref") or next((part.get("$ref") for part in sub.get("allOf", [])), None)
            if ref and ref.endswith("Request") and not ref.endswith("EnumRequest"):
                nested = schemas[ref.rsplit("/", 1)[1]]
                component["properties"][prop] = {key: value for key, value in nested.items() if key != "required"}


def _is_list(operation):
    return any(parameter.get("name") == "page" for parameter in operation.get("parameters", []))
