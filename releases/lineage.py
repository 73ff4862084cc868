"""A release's family: the tree of releases joined by their predecessor links.

The family of a release is the tree under its first ancestor (the release at the top of its
chain of predecessors). Two recursive queries find it, whatever its depth: one walks up the
chain to the first ancestor, then down to every descendant, both in one SQL statement
(``WITH RECURSIVE``, which SQLite and PostgreSQL both run); a second reads the members this
reader may see. A release the reader may not see is left out and its successors hang from
its nearest visible predecessor.
"""

from dataclasses import dataclass, field

from django.db import connection

from releases.models import ModelRelease

MAX_DEPTH = 100  # predecessor links followed at most, up or down (a cycle stops here too)
FAMILY_LIMIT = 500  # members read at most

FAMILY_SQL = """
WITH RECURSIVE up(id, predecessor_id, depth) AS (
    SELECT id, predecessor_id, 0 FROM {table} WHERE id = %s
    UNION ALL
    SELECT r.id, r.predecessor_id, up.depth + 1 FROM {table} r JOIN up ON r.id = up.predecessor_id
    WHERE up.depth < {max_depth}
),
top(id) AS (SELECT id FROM up ORDER BY depth DESC LIMIT 1),
down(id, predecessor_id, depth) AS (
    SELECT t.id, t.predecessor_id, 0 FROM {table} t JOIN top ON t.id = top.id
    UNION ALL
    SELECT r.id, r.predecessor_id, down.depth + 1 FROM {table} r JOIN down ON r.predecessor_id = down.id
    WHERE down.depth < {max_depth}
)
SELECT id, predecessor_id FROM down ORDER BY depth LIMIT {limit}
"""


@dataclass
class Node:
    release: ModelRelease
    current: bool = False
    children: list = field(default_factory=list)

    @property
    def size(self):
        return 1 + sum(child.size for child in self.children)


@dataclass
class Family:
    roots: list  # usually one; more where a hidden release splits the tree
    complete: bool  # False when the family has more than FAMILY_LIMIT members

    @property
    def size(self):
        return sum(root.size for root in self.roots)

    def node_of(self, pk):
        """The node of the release ``pk``, or None if it is not in the tree."""
        stack = list(self.roots)
        while stack:
            node = stack.pop()
            if node.release.pk == pk:
                return node
            stack.extend(node.children)
        return None


def family_links(release_pk, limit=FAMILY_LIMIT):
    """``{id: predecessor id}`` of the family's members, nearest the first ancestor first, at
    most ``limit + 1`` (the first ancestor's predecessor is None)."""
    table = connection.ops.quote_name(ModelRelease._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(FAMILY_SQL.format(table=table, max_depth=MAX_DEPTH, limit=limit + 1), [release_pk])
        links = {}
        for pk, predecessor in cursor.fetchall():
            links.setdefault(pk, predecessor)
        return links


def family_of(release, user, limit=FAMILY_LIMIT):
    """The family tree of ``release`` as ``user`` may see it (two queries)."""
    links = family_links(release.pk, limit)
    complete = len(links) <= limit
    members = list(
        ModelRelease.objects.visible_to(user)
        .filter(pk__in=list(links)[:limit])
        .only("name", "slug", "release_date", "date_precision", "kind", "access", "open_weights", "predecessor_id")
        .order_by("release_date", "name", "pk")
    )
    return Family(roots=tree(members, links, release.pk), complete=complete)


def tree(members, links, current_pk):
    """The members as trees, in date order: each under its nearest predecessor among them
    (``links`` gives every predecessor, hidden ones included)."""
    nodes = {member.pk: Node(member, current=member.pk == current_pk) for member in members}
    parents = {**links, **{member.pk: member.predecessor_id for member in members}}
    roots = []
    for member in members:
        # A hidden predecessor is skipped: the member hangs from the nearest visible one.
        parent, seen = parents.get(member.pk), {member.pk}
        while parent is not None and parent not in nodes and parent not in seen:
            seen.add(parent)
            parent = parents.get(parent)
        if parent in nodes and not _descends(parent, member.pk, parents):
            nodes[parent].children.append(nodes[member.pk])
        else:
            roots.append(nodes[member.pk])
    return roots


def _descends(candidate, ancestor, parents):
    """Whether ``candidate`` has ``ancestor`` among its predecessors (a cycle among members)."""
    seen = set()
    while candidate is not None and candidate not in seen:
        if candidate == ancestor:
            return True
        seen.add(candidate)
        candidate = parents.get(candidate)
    return False
