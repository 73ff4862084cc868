"""How the catalogue page presents its releases: column headers that sort, and what a size
filter leaves out."""

from dataclasses import dataclass

# The sortable columns: (heading, ordering field, the direction a first click sorts in).
SORTABLE = {
    "name": ("Release", "name"),
    "release_date": ("Date", "-release_date"),
    "max_size_b": ("Sizes", "-max_size_b"),
}
DEFAULT_ORDERING = "-release_date"  # the catalogue's order without an ordering parameter
DIRECTIONS = {
    "name": ("A to Z", "Z to A"),
    "release_date": ("oldest first", "newest first"),
    "max_size_b": ("smallest first", "largest first"),
}
# The filters that only a release with a stated size can pass.
SIZE_FILTERS = ("size", "min_size", "max_size", "min_active_size", "max_active_size")


@dataclass(frozen=True)
class SortHeader:
    label: str
    url: str
    aria_sort: str  # "ascending", "descending", or "" for a column the page is not sorted by
    action: str  # what following the link does, for a screen reader ("sort Z to A")

    @property
    def arrow(self):
        return {"ascending": "▲", "descending": "▼"}.get(self.aria_sort, "")


def sort_headers(path, query):
    """The sortable columns' headers for the catalogue at ``path`` and ``query`` (a QueryDict): each links to
    the same filters sorted by its column (reversed if already so), back on the first page."""
    current = query.get("ordering") or DEFAULT_ORDERING
    headers = {}
    for field, (label, first) in SORTABLE.items():
        if current == field:
            aria_sort, target = "ascending", f"-{field}"
        elif current == f"-{field}":
            aria_sort, target = "descending", field
        else:
            aria_sort, target = "", first
        params = query.copy()
        params.pop("page", None)
        if target == DEFAULT_ORDERING:
            params.pop("ordering", None)
        else:
            params["ordering"] = target
        ascending, descending = DIRECTIONS[field]
        action = f"sort {descending if target.startswith('-') else ascending}"
        headers[field] = SortHeader(label, f"{path}?{params.urlencode()}" if params else path, aria_sort, action)
    return headers


def without_size_filters(query):
    """``query`` with its size filters dropped (and the page): what a note links to, so a reader
    sees the releases the size filters left out."""
    params = query.copy()
    for name in (*SIZE_FILTERS, "page"):
        params.pop(name, None)
    return params


def size_filtered(query):
    return any(query.get(name) for name in SIZE_FILTERS)
