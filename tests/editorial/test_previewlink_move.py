"""PreviewLink moved from the articles app to qwensite.editorial without touching its table or rows."""

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("articles", "0002_editors_group"), ("editorial", None)]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state([target for target in targets if target[1] is not None]).apps


def latest():
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()


def test_a_database_of_the_old_layout_keeps_its_preview_links_and_their_permissions():
    old = migrate(BEFORE)
    # The rows the old main had (made here: an earlier test may have flushed the database).
    ContentType = old.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="editorial").delete()
    article_type, _ = ContentType.objects.get_or_create(app_label="articles", model="article")
    link_type, _ = ContentType.objects.get_or_create(app_label="articles", model="previewlink")
    add_link, _ = old.get_model("auth", "Permission").objects.get_or_create(
        content_type=link_type, codename="add_previewlink", defaults={"name": "Can add preview link"}
    )
    editors, _ = old.get_model("auth", "Group").objects.get_or_create(name="Editors")
    editors.permissions.add(add_link)
    expires = timezone.now() + dt.timedelta(days=1)
    old_link = old.get_model("articles", "PreviewLink").objects.create(
        content_type=article_type, object_id=7, expires_at=expires
    )

    new = migrate(latest())

    NewLink = new.get_model("editorial", "PreviewLink")
    moved = NewLink.objects.get(pk=old_link.pk)
    assert (moved.object_id, moved.expires_at, moved.content_type_id) == (7, expires, article_type.pk)
    assert NewLink._meta.db_table == "articles_previewlink"
    link_type = new.get_model("contenttypes", "ContentType").objects.get(pk=link_type.pk)
    assert (link_type.app_label, link_type.model) == ("editorial", "previewlink")
    editors = new.get_model("auth", "Group").objects.get(name="Editors")
    assert editors.permissions.filter(content_type=link_type, codename="add_previewlink").exists()


def test_the_move_can_be_reversed():
    old = migrate(BEFORE)

    assert old.get_model("articles", "PreviewLink")._meta.db_table == "articles_previewlink"
    with pytest.raises(LookupError):
        old.get_model("editorial", "PreviewLink")
    new = migrate(latest())
    assert new.get_model("editorial", "PreviewLink")._meta.db_table == "articles_previewlink"
