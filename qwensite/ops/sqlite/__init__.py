"""SQLite as Django runs it, with the upkeep SQLite asks of short-lived connections (``base``)."""
