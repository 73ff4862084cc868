"""How a release is cited: a BibTeX ``@misc`` entry naming its page on the site and the passage
of the article that tells its story. The API's raw BibTeX and the reader's cite page give the
same entry."""

from django.urls import reverse
from django.utils import timezone

from qwensite.seo.origin import absolute

BIBTEX_SPECIAL = str.maketrans(
    {
        "\\": r"\textbackslash{}",
        "{": r"\{",
        "}": r"\}",
        "%": r"\%",
        "&": r"\&",
        "$": r"\$",
        "#": r"\#",
        "_": r"\_",
        "~": r"\textasciitilde{}",
        "^": r"\textasciicircum{}",
    }
)
BIBTEX_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


def bibtex_text(value):
    return " ".join(str(value).split()).translate(BIBTEX_SPECIAL)


def release_bibtex(release, *, web_url, source_url, today):
    """A BibTeX ``@misc`` entry citing a release, with its page and its source passage."""
    date = release.release_date
    fields = [
        ("title", f"{{{bibtex_text(release.name)}}}"),
        ("author", "{Alibaba Cloud}"),
        ("year", str(date.year)),
        ("month", BIBTEX_MONTHS[date.month - 1]),
    ]
    if release.date_precision == "day":
        fields.append(("day", str(date.day)))
    fields += [
        ("date", date.isoformat() if release.date_precision == "day" else f"{date:%Y-%m}"),
        ("howpublished", f"\\url{{{web_url}}}"),
        ("url", web_url),
        ("urldate", today.isoformat()),
        ("note", bibtex_text(release.summary) + (f" Source: \\url{{{source_url}}}" if source_url else "")),
    ]
    body = ",\n".join(
        f"  {name} = {value if name in ('year', 'month') else '{' + value + '}'}" for name, value in fields
    )
    return f"@misc{{{release.slug},\n{body}\n}}\n"


def release_citation(release):
    """The BibTeX entry of ``release``, annotated with ``source_slug`` (the slug of its source
    article where the reader may see it, else None), as of today."""
    source_url = None
    if getattr(release, "source_slug", None):
        article_url = reverse("articles:detail", kwargs={"slug": release.source_slug})
        source_url = absolute(f"{article_url}#{release.source_section}")
    return release_bibtex(
        release, web_url=absolute(release.get_absolute_url()), source_url=source_url, today=timezone.localdate()
    )
