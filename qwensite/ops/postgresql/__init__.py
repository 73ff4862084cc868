"""PostgreSQL as Django runs it, with statements prepared where the site asks for it (``base``).

``connection_options(options)`` are the site's PostgreSQL connection options (settings apply
them): what the site prepares runs by a generic plan, and psycopg prepares a statement the first
time a preparing cursor runs it. Django's own cursors bind parameters on the client, and psycopg
prepares nothing of theirs: every query of the ORM is planned for its values, as before.
"""

ENGINE = "qwensite.ops.postgresql"


def connection_options(options):
    """``options`` (a database's OPTIONS) with the site's PostgreSQL options added."""
    server_settings = f"{options.get('options', '')} -c plan_cache_mode=force_generic_plan".strip()
    return {**options, "prepare_threshold": 0, "options": server_settings}
