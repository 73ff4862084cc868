"""Citable open data: dated, immutable snapshots of the catalogue with checksums and a changelog.

``manage.py publish_snapshot`` freezes what readers see now (published releases, their sizes,
their claims and the sources those cite) as one JSON file and one CSV file per table, each with
its SHA-256, a changelog against the previous snapshot and a licence notice. A snapshot is
written once and never changed (``Snapshot.save`` refuses an update); publishing again with no
change says so and writes nothing.
"""

import csv
import hashlib
import io
import json

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db import models
from django.urls import reverse
from django.utils import timezone

from qwensite.spreadsheets.cells import inert

TABLES = ("releases", "sizes", "claims", "sources")
KEYS = {"releases": ("slug",), "sizes": ("release", "label"), "claims": ("id",), "sources": ("id",)}


class ImmutableSnapshot(Exception):
    pass


class Snapshot(models.Model):
    slug = models.SlugField(max_length=40, unique=True, help_text="Its date, with a number if several share a day.")
    published_at = models.DateTimeField(default=timezone.now)
    # Written once by publish(), never edited.
    files = models.JSONField(editable=False, help_text="{file name: text}")
    checksums = models.JSONField(editable=False, help_text="{file name: SHA-256 of its UTF-8 bytes}")
    changelog = models.TextField(editable=False)
    licence = models.CharField(max_length=60, editable=False)

    class Meta:
        ordering = ["-published_at", "-pk"]
        get_latest_by = "published_at"

    def __str__(self):
        return f"Snapshot {self.slug}"

    def save(self, *args, **kwargs):
        if self.pk is not None or kwargs.get("force_update"):
            raise ImmutableSnapshot("A published snapshot never changes: publish a new one.")
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("snapshot", kwargs={"slug": self.slug})

    def file_url(self, name):
        return reverse("snapshot-file", kwargs={"slug": self.slug, "name": name})

    @property
    def tables(self):
        return json.loads(self.files["catalogue.json"])["tables"]


def catalogue_tables():
    """What readers see now, as plain rows per table, in a stable order."""
    from releases.models import Claim, ModelRelease, ReleaseSize, Source

    releases = ModelRelease.objects.published().order_by("release_date", "name", "pk")
    release_rows = [
        {
            "slug": r.slug,
            "name": r.name,
            "release_date": r.release_date.isoformat(),
            "date_precision": r.date_precision,
            "access": r.access,
            "open_weights": r.open_weights,
            "context_length": r.context_length,
            "kind": r.kind,
            "predecessor": r.predecessor.slug if r.predecessor_id and r.predecessor.is_published else None,
            "disputed": r.disputed,
        }
        for r in releases.select_related("predecessor")
    ]
    size_rows = [
        {
            "release": s.release.slug,
            "label": s.label,
            "parameters_b": f"{s.parameters_b.normalize():f}",
            "active_parameters_b": f"{s.active_parameters_b.normalize():f}" if s.active_parameters_b else None,
            "architecture": s.architecture,
        }
        for s in ReleaseSize.objects.filter(release__in=releases)
        .select_related("release")
        .order_by("release__release_date", "release__name", "parameters_b", "label")
    ]
    claims = list(
        Claim.objects.filter(release__in=releases)
        .readable_by(AnonymousUser())
        .select_related("release", "size")
        .order_by("pk")
    )
    claim_rows = [
        {
            "id": c.pk,
            "release": c.release.slug,
            "size": c.size.label if c.size_id else None,
            "field": c.field,
            "value": c.value,
            "source": c.source_id,
            "quote": c.quote,
            "locator": c.locator,
            "basis": c.basis,
            "derivation": c.derivation,
            "as_of": c.as_of.isoformat() if c.as_of else None,
            "preferred": c.preferred,
            "disputed": c.disputed,
        }
        for c in claims
    ]
    cited = {c.source_id for c in claims}
    source_rows = [
        {
            "id": s.pk,
            "kind": s.kind,
            "title": s.title,
            "publisher": s.publisher,
            "url": s.public_link,
            "published_on": s.published_on.isoformat() if s.published_on else None,
            "accessed_on": s.accessed_on.isoformat() if s.accessed_on else None,
            "archive_url": s.archive_url,
            "tier": s.tier,
        }
        for s in Source.objects.filter(pk__in=cited).select_related("article").order_by("pk")
    ]
    return {"releases": release_rows, "sizes": size_rows, "claims": claim_rows, "sources": source_rows}


def licence_notice(licence):
    return (
        f"qwensite open data, licensed {licence}. Cite the snapshot by its date and address. Each claim "
        "names its source; quoted passages remain their authors' and are quoted for reference."
    )


def render_files(tables, licence):
    """The snapshot's files: one JSON of every table, one CSV per table (formula cells quoted)."""
    files = {
        "catalogue.json": json.dumps(
            {"licence": licence, "notice": licence_notice(licence), "tables": tables},
            ensure_ascii=False,
            indent=2,
            sort_keys=True,
        )
        + "\n"
    }
    for table in TABLES:
        rows = tables[table]
        out = io.StringIO()
        if rows:
            writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
            writer.writeheader()
            writer.writerows({key: inert(value) for key, value in row.items()} for row in rows)
        files[f"{table}.csv"] = out.getvalue()
    files["LICENCE.txt"] = licence_notice(licence) + "\n"
    return files


def checksum(text):
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def changelog(previous, current):
    """What changed from the previous snapshot's tables to these: added, removed, changed rows."""
    if previous is None:
        return "First snapshot."
    lines = []
    for table in TABLES:
        key = KEYS[table]
        before = {tuple(row[k] for k in key): row for row in previous.get(table, [])}
        after = {tuple(row[k] for k in key): row for row in current[table]}
        for name in sorted(after.keys() - before.keys(), key=str):
            lines.append(f"{table}: added {'/'.join(map(str, name))}")
        for name in sorted(before.keys() - after.keys(), key=str):
            lines.append(f"{table}: removed {'/'.join(map(str, name))}")
        for name in sorted(after.keys() & before.keys(), key=str):
            for field in after[name]:
                if before[name].get(field) != after[name][field]:
                    old, new = before[name].get(field), after[name][field]
                    lines.append(f"{table}: {'/'.join(map(str, name))} {field} {old!r} → {new!r}")
    return "\n".join(lines)


def publish(now=None):
    """Publish a snapshot of the catalogue as it is now; None when nothing changed since the last."""
    now = now or timezone.now()
    licence = settings.DATA_LICENCE
    tables = catalogue_tables()
    previous = Snapshot.objects.order_by("-published_at", "-pk").first()
    if previous is not None and previous.tables == tables:
        return None
    files = render_files(tables, licence)
    day = now.date().isoformat()
    taken = Snapshot.objects.filter(slug__startswith=day).count()
    return Snapshot.objects.create(
        slug=day if not taken else f"{day}-{taken + 1}",
        published_at=now,
        files=files,
        checksums={name: checksum(text) for name, text in files.items()},
        changelog=changelog(previous.tables if previous else None, tables),
        licence=licence,
    )


def snapshot_bibtex(snapshot, url):
    date = snapshot.published_at.date()
    return (
        f"@misc{{qwensite-data-{snapshot.slug},\n"
        f"  title = {{qwensite: Qwen release catalogue, data snapshot {snapshot.slug}}},\n"
        f"  author = {{qwensite}},\n"
        f"  year = {date.year},\n"
        f"  date = {{{date.isoformat()}}},\n"
        f"  url = {{{url}}},\n"
        f"  note = {{Licence: {snapshot.licence}. SHA-256 of catalogue.json: {snapshot.checksums['catalogue.json']}}}\n"
        f"}}\n"
    )
