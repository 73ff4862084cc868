"""Open-data snapshots: immutable, checksummed, with an exact changelog; nothing written without a change."""

import hashlib
import json

import pytest
from django.core.management import call_command

from releases.models import Claim, ModelRelease, Snapshot
from releases.snapshots import ImmutableSnapshot, publish

pytestmark = pytest.mark.django_db


def downloads(client, snapshot):
    return {name: client.get(f"/data/{snapshot.slug}/{name}").content for name in snapshot.files}


def test_a_snapshot_holds_the_published_catalogue_with_checksums(seeded, client):
    snapshot = publish()

    files = downloads(client, snapshot)
    assert set(files) == {"catalogue.json", "releases.csv", "sizes.csv", "claims.csv", "sources.csv", "LICENCE.txt"}
    for name, content in files.items():
        assert hashlib.sha256(content).hexdigest() == snapshot.checksums[name]
    tables = json.loads(files["catalogue.json"])["tables"]
    assert len(tables["releases"]) == 11
    assert len(tables["sizes"]) == 11
    assert len(tables["claims"]) == 39
    assert [source["title"] for source in tables["sources"]] == ["The History of Qwen"]
    assert snapshot.changelog == "First snapshot."
    assert "CC-BY-4.0" in files["LICENCE.txt"].decode()


def test_the_data_page_lists_snapshots_and_each_can_be_cited(seeded, client):
    snapshot = publish()

    assert f"Snapshot {snapshot.slug}" in client.get("/data/").text
    page = client.get(f"/data/{snapshot.slug}/").text
    assert snapshot.checksums["catalogue.json"] in page
    assert f"@misc{{qwensite-data-{snapshot.slug}," in page
    assert "First snapshot." in page
    assert client.get(f"/data/{snapshot.slug}/secrets.txt").status_code == 404


def test_publishing_again_without_a_change_writes_nothing(seeded, capsys):
    call_command("publish_snapshot")
    capsys.readouterr()

    call_command("publish_snapshot")

    assert "Nothing changed since the last snapshot" in capsys.readouterr().out
    assert Snapshot.objects.count() == 1


def test_a_published_snapshot_never_changes_and_the_next_lists_exactly_the_change(seeded, client):
    first = publish()
    before = downloads(client, first)

    claim = Claim.objects.get(release__slug="qwen-1", field="context_length")
    claim.value = "32768"
    claim.save()
    ModelRelease.objects.filter(slug="qwen-3").update(status="draft")
    second = publish()

    assert downloads(client, Snapshot.objects.get(pk=first.pk)) == before
    assert second.slug != first.slug
    lines = second.changelog.splitlines()
    assert "releases: removed qwen-3" in lines
    assert "releases: qwen-1 context_length 8192 → 32768" in lines
    assert f"claims: {claim.pk} value '8192' → '32768'" in lines
    assert not [line for line in lines if "qwen-1" in line and "context" not in line and "claims" not in line]


def test_a_snapshot_cannot_be_saved_again(seeded):
    snapshot = publish()
    snapshot.changelog = "rewritten"

    with pytest.raises(ImmutableSnapshot):
        snapshot.save()
    assert Snapshot.objects.get().changelog == "First snapshot."


def test_drafts_are_not_in_a_snapshot(seeded):
    ModelRelease.objects.filter(slug="qwen-3").update(status="draft")

    tables = publish().tables

    assert "qwen-3" not in {row["slug"] for row in tables["releases"]}
    assert not [row for row in tables["claims"] if row["release"] == "qwen-3"]
