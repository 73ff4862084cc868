"""The one atomic write path of the API: the admin's validation, the model's messages, one transaction."""

from concurrency.exceptions import RecordModifiedError
from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from rest_framework import exceptions
from rest_framework.settings import api_settings

from qwensite.rest.errors import Conflict


def validation_messages(error, paths=None):
    """A Django ValidationError as DRF field errors: ``{field: [message, ...]}``.

    ``paths`` gives where a model field sits in the request when that differs from its name
    (``{"source_section": ("source", "section")}`` nests the message as DRF does).
    """
    if not hasattr(error, "error_dict"):
        return {api_settings.NON_FIELD_ERRORS_KEY: list(error.messages)}
    paths = {NON_FIELD_ERRORS: (api_settings.NON_FIELD_ERRORS_KEY,), **(paths or {})}
    result = {}
    for field, messages in error.message_dict.items():
        path = paths.get(field, (field,))
        node = result
        for part in path[:-1]:
            node = node.setdefault(part, {})
        node.setdefault(path[-1], []).extend(messages)
    return result


@transaction.atomic
def save_validated(instance, *, fields, related=None, prepare=None, error_paths=None):
    """Set ``fields`` on ``instance``, validate it as the admin does, save it, then set ``related``.

    One transaction: a model validation error, a database constraint or a concurrent edit
    leaves nothing written and becomes a 400 (or 409) with the model's own messages, each
    on its field (``error_paths``: see validation_messages).
    """
    for name, value in fields.items():
        setattr(instance, name, value)
    if prepare is not None:
        prepare(instance)
    try:
        instance.full_clean()
    except DjangoValidationError as error:
        raise exceptions.ValidationError(validation_messages(error, error_paths)) from error
    try:
        with transaction.atomic():
            instance.save()
            for name, values in (related or {}).items():
                getattr(instance, name).set(values)
    except IntegrityError as error:
        raise exceptions.ValidationError(
            {api_settings.NON_FIELD_ERRORS_KEY: [constraint_message(instance, error)]}
        ) from error
    except RecordModifiedError as error:
        raise Conflict() from error
    return instance


def constraint_message(instance, error):
    """The model's own message for the database constraint an IntegrityError names."""
    text = str(error)
    table = instance._meta.db_table
    for constraint in instance._meta.constraints:
        # PostgreSQL names the constraint; SQLite names a unique constraint by its columns.
        columns = [instance._meta.get_field(name).column for name in getattr(constraint, "fields", ())]
        if constraint.name in text or (columns and all(f"{table}.{column}" in text for column in columns)):
            return constraint.get_violation_error_message()
    return "The change conflicts with the stored data (a value that must be unique is already taken?)."


def delete_entry(instance):
    """Delete in one transaction; a protected reference is a 409 naming what still uses it."""
    try:
        with transaction.atomic():
            instance.delete()
    except ProtectedError as error:
        used_by = sorted({str(obj) for obj in error.protected_objects})[:10]
        raise Conflict(f"Still referenced by: {', '.join(used_by)}. Remove those references first.") from error
