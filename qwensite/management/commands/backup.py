"""Write a complete, loadable dump of the site's content and its history."""

import os
import sys
import tempfile
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connection, transaction

from qwensite.ops.backups import backup_labels


class Command(BaseCommand):
    help = (
        "Write the content (articles, authors, tags, releases, sizes, preview links), its history, "
        "and the accounts and groups behind it as one JSON fixture that `restore` (or loaddata) loads."
    )

    def add_arguments(self, parser):
        parser.add_argument("output", help="File to write (a .json path), or - for standard output.")

    def handle(self, *args, output, **options):
        if output == "-":
            self._dump(sys.stdout)
            return
        target = Path(output)
        if target.suffix != ".json":
            target = target.with_name(target.name + ".json")
        # Write beside the target, then rename: a failed or interrupted backup never leaves a
        # truncated file where a good one was.
        fd, partial = tempfile.mkstemp(dir=target.parent or ".", prefix=f".{target.name}.", suffix=".partial")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as stream:
                self._dump(stream)
            os.replace(partial, target)
        except BaseException:
            Path(partial).unlink(missing_ok=True)
            raise
        self.stderr.write(f"Backup written to {target}")

    def _dump(self, stream):
        # Every table as of the same moment: one transaction, which PostgreSQL must be told to
        # run at REPEATABLE READ (its default, READ COMMITTED, takes a new snapshot per query).
        outermost = not connection.in_atomic_block
        with transaction.atomic():
            if outermost and connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            call_command(
                "dumpdata",
                *backup_labels(),
                format="json",
                indent=2,
                use_natural_foreign_keys=True,
                stdout=stream,
            )
