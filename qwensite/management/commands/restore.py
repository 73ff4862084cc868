"""Load a backup written by `backup` into a freshly migrated database that holds no content yet.

What the migrations made (the empty Editors group) is replaced by the backup's own. The cache
is left alone (other sites' keys, throttle counts): the restore renews the content state, so
every stored page and derived value of the old content becomes unreachable at once.
"""

from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from qwensite.freshness.state import content_changed
from qwensite.ops.backups import backup_models, made_by_migrations


class Command(BaseCommand):
    help = "Restore a backup into a migrated database that holds no content, accounts or history yet."

    def add_arguments(self, parser):
        parser.add_argument("backup", help="A .json file written by `manage.py backup`.")

    def handle(self, *args, backup, **options):
        path = Path(backup)
        if not path.is_file():
            raise CommandError(f"No backup file at {path}.")
        premade = made_by_migrations()
        occupied = [
            model._meta.label
            for model in backup_models()
            if (
                model._default_manager.exclude(pk__in=premade) if model is premade.model else model._default_manager
            ).exists()
        ]
        if occupied:
            raise CommandError(
                "Refusing to restore over existing data (" + ", ".join(occupied) + "). "
                "Restore into a freshly migrated, empty database."
            )
        with transaction.atomic():
            premade.delete()
            call_command("loaddata", str(path), verbosity=0)
            content_changed(public=True)
        self.stderr.write(f"Restored {path}")
