"""A release's family: the tree of releases joined by their predecessor links.

The family of a release is the tree under its first ancestor (the release at the top of its
chain of predecessors). One query finds it, whatever its depth: it walks up the chain to the
first ancestor, then down to every descendant (``WITH RECURSIVE``, which SQLite and PostgreSQL
both run), and reads each member with whether this reader may see it (the condition of
``visible_to``, compiled by the ORM). A release the reader may not see is left out and its
successors hang from its nearest visible predecessor.
"""

from dataclasses import dataclass, field

from django.db import connection
from django.db.models.expressions import RawSQL

from releases.models import ModelRelease

MAX_DEPTH = 100  # predecessor links followed at most, up or down (a cycle stops here too)
FAMILY_LIMIT = 500  # members read at most

MEMBER_FIELDS = (
    "id",
    "name",
    "slug",
    "release_date",
    "date_precision",
    "kind",
    "access",
    "open_weights",
    "predecessor",
)

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
),
chosen(id, depth) AS (SELECT id, MIN(depth) FROM down GROUP BY id ORDER BY MIN(depth), id LIMIT {limit}),
-- The release's own successors, also where the tree is cut before them (depth NULL).
read(id, depth) AS (
    SELECT id, depth FROM chosen
    UNION ALL
    SELECT id, NULL FROM {table} WHERE predecessor_id = %s AND id NOT IN (SELECT id FROM chosen)
)
SELECT {columns}, read.depth AS family_depth, m.id IN ({visible}) AS family_shown
FROM read JOIN {table} m ON m.id = read.id
ORDER BY m.release_date, m.name, m.id
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
    # The release's successors the reader may see, in date order: its children in the tree (the
    # nearest visible ones), or its direct successors where the tree is cut before it.
    successors: list = field(default_factory=list)

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


def family_of(release, user, limit=FAMILY_LIMIT):
    """The family tree of ``release`` as ``user`` may see it, and its successors (one query): at
    most ``limit`` members, those nearest the first ancestor."""
    quote = connection.ops.quote_name
    table = quote(ModelRelease._meta.db_table)
    columns = ", ".join(f"m.{quote(ModelRelease._meta.get_field(name).column)}" for name in MEMBER_FIELDS)
    # Of the family's rows only (the statement's ``read``): not a scan of every visible release.
    among_read = RawSQL("SELECT id FROM read", ())  # noqa: S611 - constant SQL, no parameters
    visible, visible_params = (
        ModelRelease.objects.visible_to(user).filter(pk__in=among_read).order_by().values("pk").query.sql_with_params()
    )
    sql = FAMILY_SQL.format(table=table, max_depth=MAX_DEPTH, limit=limit + 1, columns=columns, visible=visible)
    rows = list(ModelRelease.objects.raw(sql, [release.pk, release.pk, *visible_params]))
    chosen = [row for row in rows if row.family_depth is not None]
    # Every predecessor link, hidden members' included; the members among the ``limit`` nearest.
    links = {row.pk: row.predecessor_id for row in rows}
    nearest = {row.pk for row in sorted(chosen, key=lambda row: (row.family_depth, row.pk))[:limit]}
    members = [row for row in rows if row.family_shown and row.pk in nearest]  # in date order
    family = Family(roots=tree(members, links, release.pk), complete=len(chosen) <= limit)
    node = family.node_of(release.pk)
    if node is not None:
        family.successors = [child.release for child in node.children]
    else:
        family.successors = [row for row in rows if row.predecessor_id == release.pk and row.family_shown]
    return family


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
