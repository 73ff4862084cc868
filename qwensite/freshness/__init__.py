"""Freshness: one content state for ETags and cache keys, the response cache, the paginator built on it."""
