"""Publish a dated, immutable snapshot of the catalogue (see releases.snapshots)."""

from django.core.management.base import BaseCommand
from django.db import transaction

from releases.snapshots import publish


class Command(BaseCommand):
    help = "Publish a dated snapshot of the published catalogue (JSON and CSV, checksums, changelog)."

    def handle(self, *args, **options):
        with transaction.atomic():
            snapshot = publish()
        if snapshot is None:
            self.stdout.write("Nothing changed since the last snapshot: nothing was written.")
            return
        self.stdout.write(f"Published snapshot {snapshot.slug}:")
        for name, digest in sorted(snapshot.checksums.items()):
            self.stdout.write(f"  {name}  sha256 {digest}")
        self.stdout.write("Changes:\n  " + snapshot.changelog.replace("\n", "\n  "))
