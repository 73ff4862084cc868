"""The releases an article tells, as its page shows them: bounded by the page, not the catalogue.

The page lists at most LISTED of them in story order (by date, then name) and says how many
there are and over which years, linking the catalogue filtered to the article for the rest.
The document's own article tells fewer than LISTED, so its page still lists every one; an
article of a generated catalogue of 100,000 releases tells hundreds, which only the catalogue
lists (it has the filters, the sorting and the pages for them).

The body links the name of every release it tells, so all of them are read, in one query, and
what the page needs of them (the list, the summary and the linked body) is kept once per
state of the content an article page shows (``remember``, with the kinds settings name for
its address): any edit of it makes the next request read them afresh, so a release
renamed or taken back to draft shows at once, and until something changes the page reads
nothing of them from the database. The linked body is also kept per the exact names it links
(articles.release_links.linked_body), so an edit elsewhere costs one query, not the linking.
"""

from dataclasses import dataclass

from articles.release_links import linked_body
from qwensite.editorial.publishing import sees_drafts
from qwensite.freshness.state import kinds_shown_at, remember

LISTED = 30  # releases listed beside an article; the catalogue, filtered to it, has them all


@dataclass(frozen=True)
class ToldRelease:
    """One release of the list: what its line shows (plain values, cheap to keep and to read)."""

    name: str
    url: str
    date: str  # the release date at its stated precision
    section: str  # the anchor of the passage telling it


@dataclass(frozen=True)
class ToldReleases:
    """What the page shows of the releases an article tells, as one reader may see them."""

    listed: list  # the first LISTED, in story order
    count: int
    first_year: int | None
    last_year: int | None
    body_html: str  # the article's body with the name of every one linked

    @property
    def more(self):
        """Whether the article tells more releases than its page lists."""
        return self.count > len(self.listed)


def told_releases(article, user):
    """The releases ``article`` tells that ``user`` may see, read once per content state."""
    scope = "drafts" if sees_drafts(user, article.releases.model) else "published"
    return remember(
        f"told-releases|{article.pk}|{article.version}|{scope}",
        lambda: _read(article, user),
        shown=kinds_shown_at(article.get_absolute_url()),  # the kinds of content an article page shows
    )


def _read(article, user):
    # Rows, not model instances: an article may tell hundreds. A release is made, unsaved, only
    # to say what its own model says of it (its address, its date as precisely as stated).
    release = article.releases.model
    rows = list(
        article.releases.visible_to(user)
        .order_by("release_date", "name", "pk")
        .values_list("name", "slug", "release_date", "date_precision", "source_section")
    )

    def address(slug):
        return release(slug=slug).get_absolute_url()

    listed = []
    for name, slug, date, precision, section in rows[:LISTED]:
        shown = release(name=name, slug=slug, release_date=date, date_precision=precision)
        listed.append(ToldRelease(name, address(slug), shown.release_date_display, section))
    return ToldReleases(
        listed=listed,
        count=len(rows),
        first_year=rows[0][2].year if rows else None,
        last_year=rows[-1][2].year if rows else None,
        body_html=linked_body(article, [(name, slug) for name, slug, *_ in rows], address=address),
    )
