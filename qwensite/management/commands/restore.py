"""Load a backup written by `backup` into a database that holds no content yet."""

from pathlib import Path

from django.core.cache import cache
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from qwensite.ops.backups import backup_models


class Command(BaseCommand):
    help = "Restore a backup into a migrated database that holds no content, accounts or history yet."

    def add_arguments(self, parser):
        parser.add_argument("backup", help="A .json file written by `manage.py backup`.")

    def handle(self, *args, backup, **options):
        path = Path(backup)
        if not path.is_file():
            raise CommandError(f"No backup file at {path}.")
        occupied = [model._meta.label for model in backup_models() if model._default_manager.exists()]
        if occupied:
            raise CommandError(
                "Refusing to restore over existing data (" + ", ".join(occupied) + "). "
                "Restore into a freshly migrated, empty database."
            )
        with transaction.atomic():
            call_command("loaddata", str(path), verbosity=0)
        cache.clear()
        self.stderr.write(f"Restored {path}")
