"""Formula cells made inert, and made whole again when a quoted file comes back.

Text that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is a formula to a
spreadsheet (``=HYPERLINK(...)`` runs when the file is opened), so it is written with a leading
``'``, which spreadsheets show as text and do not display. Text that already starts with quotes
followed by one of those gets one more, so that ``revived()`` (used on import) undoes exactly
what ``inert()`` did: a file exported and imported again changes nothing.
"""

import json

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
QUOTE = "'"


def _needs_quote(text):
    return text.lstrip(QUOTE)[:1] in FORMULA_PREFIXES


def inert(value):
    """``value`` as a spreadsheet shows it and never runs it; anything but text is left alone."""
    if isinstance(value, str) and _needs_quote(value):
        return QUOTE + value
    return value


def revived(value):
    """The text ``inert()`` was given: one leading quote before a formula prefix removed."""
    if isinstance(value, str) and value[:1] == QUOTE and _needs_quote(value):
        return value[1:]
    return value


class StructuredCell(list):
    """A cell holding a list of objects (a release's sizes): nested as it is in JSON, and in a
    spreadsheet JSON text with one object a line (``str()``), which an editor can change in place."""

    def __str__(self):
        if not self:
            return "[]"
        return "[\n" + ",\n".join(json.dumps(item, ensure_ascii=False) for item in self) + "\n]"


def cell_text(value):
    """What a spreadsheet cell holds for ``value``: a structured cell as its text, formulas inert."""
    return inert(str(value) if isinstance(value, StructuredCell) else value)
