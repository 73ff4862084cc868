"""Filtering: strict query parameters for pages and the API (fields, the FilterSet base, unknown names)."""
