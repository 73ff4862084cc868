"""SQLite as Django runs it, with the upkeep SQLite asks of short-lived connections (``base``).

``CONNECTION_OPTIONS`` are the site's SQLite connection options (settings apply them): writers
take the write lock first (``IMMEDIATE``, so two writers never deadlock), wait up to 20 s for
it, and the database is in WAL mode, so readers never wait for a writer.
"""

ENGINE = "qwensite.ops.sqlite"
CONNECTION_OPTIONS = {"transaction_mode": "IMMEDIATE", "timeout": 20, "init_command": "PRAGMA journal_mode=WAL;"}
