"""REST: the API's shared pieces, by DRF concept (fields, pagination, throttling, renderers, errors, writes)."""
