import datetime as dt
import re
import uuid
from functools import cache, partial
from urllib.parse import urlsplit

from django import forms
from django.conf import settings
from django.db.models import prefetch_related_objects
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import get_script_prefix, reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.views import View
from django.views.generic import DetailView, ListView
from icalendar import Calendar, Event

from articles.markdown import passage_found
from articles.models import Article
from qwensite.editorial.publishing import is_visible_to, sees_drafts, visible_slug
from qwensite.filtering.filters import PageForm, StrictPageMixin
from qwensite.filtering.parameters import missing_page_message, query_without_page, unknown_parameter_errors
from qwensite.freshness.fragments import KeptList, RenderedRows, kept_fragment, version_of
from qwensite.freshness.middleware import parameters_checked
from qwensite.freshness.pagination import ScalablePaginator, count_key_for
from qwensite.freshness.prepared import PreparedGet, PreparedList
from qwensite.freshness.state import remember
from qwensite.ops.errors import ReaderNotFound
from qwensite.seo.origin import absolute, site_domain
from qwensite.seo.structured_data import json_ld, release_data
from releases import names
from releases.apps import CONTENT_KIND
from releases.catalogue import size_filtered, sort_headers, without_size_filters
from releases.citations import release_citation
from releases.filters import ReleaseFilter
from releases.lineage import FAMILY_LIMIT, family_of
from releases.models import Claim, DatePrecision, ModelRelease, Snapshot, Source, ValueChange
from releases.provenance import EVENT_FIELDS, RELEASE_FIELDS, SIZE_FIELDS, cited_facts
from releases.snapshots import snapshot_bibtex

RELEASES = (CONTENT_KIND,)  # the kind of content these pages show (qwensite.freshness.state)
CATALOGUE_PAGE_SIZE = 25
CHANGES_SHOWN = 20  # the latest changes of values on a release page (all of them on the Changes page)
MAX_COMPARED = 4
FAMILY_ON_RELEASE_PAGE = 60  # members of the family tree drawn on a release page (its family page has them all)


def catalogue_years():
    """The years that have published releases, newest first (the catalogue's year menu),
    computed once per content state."""
    return remember(
        "catalogue-years",
        lambda: list(ModelRelease.objects.published().dates("release_date", "year", order="DESC")),
        shown=RELEASES,
    )


def redirect_without_empty_parameters(request):
    """A GET form sends its empty fields too; send the reader to the short, shareable URL."""
    if not any("" in request.GET.getlist(key) for key in request.GET):
        return None
    kept = [(key, value) for key in request.GET for value in request.GET.getlist(key) if value != ""]
    query = urlencode(kept)
    return HttpResponseRedirect(f"{request.path}?{query}" if query else request.path)


CATALOGUE_ROW_FORMAT = "cards-and-compare"  # the kept row's name; each build of the code keeps its own
CATALOGUE_FILTERS_FORMAT = "catalogue-filters:v1"  # the kept filter form's name, likewise
# The catalogue below the layout, and the name it is kept under for a page of kept rows.
CATALOGUE_BODY_TEMPLATE = "releases/_catalogue_body.html"
CATALOGUE_CONTENT_FORMAT = "catalogue-content:v1"


def catalogue_row_version(release):
    """A catalogue row's version: the release's saved version (a change of its sizes moves its
    ``updated_at``, as for the API's representation), so a kept row needs no size read; and the
    script prefix its links are made with."""
    return version_of(release, CATALOGUE_ROW_FORMAT, get_script_prefix())


def catalogue_rows():
    """How the catalogue's rows are kept: each drawn per release version, in the script prefix
    of the request (which names the page's rows for the process too: KeptRows.context)."""
    return RenderedRows("releases/_catalogue_row.html", catalogue_row_version, context=get_script_prefix())


def catalogue_at(now=None):
    """The releases the catalogue lists at ``now`` (by default the present), before its filters.

    The sizes are read only for the rows not kept yet (catalogue_row_version).
    """
    return ModelRelease.objects.published(now).for_lists()


class ReleaseListView(View):
    """The catalogue: the API's FilterSet behind a GET form, ordered and paginated."""

    template_name = "releases/release_list.html"
    filters_template_name = "releases/_catalogue_filters.html"

    def get(self, request):
        redirect = redirect_without_empty_parameters(request)
        if redirect:
            return redirect
        # Unfiltered, the list changes only with the present moment: read by SQL kept per process,
        # and built as a queryset by its paginator only if a page needs it (none stands in here).
        prepared = PreparedList(("catalogue",), catalogue_at) if ReleaseFilter.names_no_filter(request.GET) else None
        queryset = catalogue_at() if prepared is None else ModelRelease.objects.none()
        filterset = ReleaseFilter(request.GET, queryset=queryset, request=request)
        # Every occurrence of a parameter, as one comma-separated value (year=2024&year=2025 is 2024,2025).
        values = {key: ",".join(request.GET.getlist(key)) for key in filterset.filters}
        chosen_years = [year for year in values["year"].split(",") if year]
        # The menus offer what the FilterSet accepts, with its labels (the API documents the same).
        orderings = [(value, label) for value, label in filterset.fixed_choices("ordering") if value != "-release_date"]
        choices = {name: filterset.filters[name].extra["choices"] for name in ("kind", "architecture")}
        options = {
            "open_weights": {"true", "false"},
            **{name: {value for value, _ in menu} for name, menu in choices.items()},
            "ordering": {value for value, _ in orderings},
        }
        context = {
            "filterset": filterset,
            "kinds": choices["kind"],
            "architectures": choices["architecture"],
            "orderings": orderings,
            "values": values,
            # A value the form's menus do not offer (2023,2024, a typo) is still shown as given.
            "unlisted": {name: values[name] for name, known in options.items() if values[name] not in known | {""}},
            # The year control takes several years: each one ticked, and any the menu does not offer.
            "chosen_years": chosen_years,
            "is_filtered": any(key not in {"page", "page_size", "ordering"} for key in request.GET),
            "max_compared": MAX_COMPARED,
            "errors": None,
            "unsized_left_out": None,
            "content": None,  # drawn within the page unless kept (kept_content)
        }
        pages = PageForm(request.GET)
        if not filterset.is_valid() or not pages.is_valid():
            context["errors"] = [
                (name, filterset.form.fields[name].label if name in filterset.form.fields else name, message)
                for name, messages in filterset.form.errors.items()
                for message in messages
            ] + [(name, pages[name].label, message) for name, messages in pages.errors.items() for message in messages]
            context["filters"] = self.filters(request, context)
            return render(request, self.template_name, context, status=400)
        parameters_checked(request)
        # Valid filters are drawn from the query (its page aside) and the years menu alone: the
        # same form for every page of a list, kept per state of the catalogue, and looked up only
        # if the page draws them (a page whose content is kept does not).
        filter_context = dict(context)
        context["filters"] = DrawnLater(
            lambda: remember(
                f"{CATALOGUE_FILTERS_FORMAT}|{count_key_for(request)}",
                lambda: self.filters(request, filter_context),
                shown=RELEASES,
            )
        )
        rows_kept = catalogue_rows()
        paginator = ScalablePaginator(
            filterset.qs if prepared is None else None,
            pages.cleaned_data["page_size"] or CATALOGUE_PAGE_SIZE,
            count_key=count_key_for(request),
            shown=RELEASES,
            prepared=prepared,
            # A page whose rows are all kept is answered from them.
            kept=rows_kept,
        )
        page = paginator.get_page(pages.cleaned_data["page"])
        if pages.cleaned_data["page"] and page.number != pages.cleaned_data["page"]:
            raise ReaderNotFound(
                missing_page_message(pages.cleaned_data["page"], paginator.num_pages),
                links=[("The first page", f"{request.path}?{query_without_page(request)}".rstrip("?"))],
            )
        releases = list(page.object_list)
        # Each row is kept per release version: an edit elsewhere leaves this page's rows cached.
        rows = page.kept
        if rows is None:
            rows = rows_kept.rendered(
                releases, "release", prepare=lambda missing: prefetch_related_objects(missing, "sizes")
            )
        context.update(page_obj=page, releases=releases, rows=rows, paginator=paginator)
        context["told_in"] = filterset.value_of("article")  # the article the list is filtered to
        # The column headers are drawn once per query by each process: worked out only to draw them.
        context["sort_headers"] = partial(sort_headers, request.path, request.GET)
        context["unpaged_query"] = query_without_page(request)
        if size_filtered(request.GET):
            context["unsized_left_out"] = self.unsized_left_out(request, queryset)
        context["content"] = self.kept_content(request, rows, context) if isinstance(rows, KeptList) else None
        return render(request, self.template_name, context)

    def kept_content(self, request, rows, context):
        """The catalogue below the layout (CATALOGUE_BODY_TEMPLATE) for a page answered from its
        kept rows, which every visitor sees alike: drawn when the page shows it and kept per state
        of the catalogue (its years menu) under what else it is drawn from: the rows' name (their
        versions), the address (only the page, its size and the ordering pass the checks without
        a filter), its count and the script prefix its links are made with."""
        # The count too: it was read before the state its content is kept under is.
        drawn_from = (rows.name, context["paginator"].count, request.get_full_path(), get_script_prefix())
        name = "|".join(map(str, (CATALOGUE_CONTENT_FORMAT, *drawn_from)))
        return DrawnLater(
            lambda: remember(name, lambda: render_to_string(CATALOGUE_BODY_TEMPLATE, context, request), shown=RELEASES)
        )

    def filters(self, request, context):
        """The filter form drawn, with its years menu: the years that have releases (read only
        to draw it), and any year asked for that the menu does not offer."""
        years = catalogue_years()
        known = {str(year.year) for year in years}
        unlisted_years = [year for year in context["chosen_years"] if year not in known]
        return render_to_string(
            self.filters_template_name, {**context, "years": years, "unlisted_years": unlisted_years}, request
        )

    @staticmethod
    def unsized_left_out(request, queryset):
        """The releases the size filters leave out because the source states no size for them
        (those that pass every other filter): how many, and the address that shows them."""
        others = without_size_filters(request.GET)
        unsized = ReleaseFilter(others, queryset=queryset, request=request).qs.filter(max_size_b__isnull=True)
        count = remember(f"catalogue-unsized|{count_key_for(request)}", unsized.count, shown=RELEASES)
        return {"count": count, "url": f"{request.path}?{others.urlencode()}" if others else request.path}


# The parts of a release page drawn from the release and its provenance alone (ReleaseDetailView.drawn_tables).
PROVENANCE_TABLES = {"facts_table": "releases/_release_facts.html", "sizes_table": "releases/_release_sizes.html"}
PROVENANCE_TABLES_FORMAT = "release-tables"  # their kept fragment's name
# A release page's article, below the layout; and the name its parts are kept under for readers
# (ReleaseDetailView.kept_parts): the article and the structured data.
RELEASE_BODY_TEMPLATE = "releases/_release_body.html"
RELEASE_PARTS = ("body", "structured_data")
RELEASE_PARTS_FORMAT = "release-page-parts"


class ReleaseDetailView(DetailView):
    """A release, its sizes, its passage in the story and its lineage.

    Readers see nothing of an entry that is not published and due: an unpublished source
    article, predecessor or successor is left out (visible_to decides, so editors see drafts).
    """

    template_name = "releases/release_detail.html"
    context_object_name = "release"

    def get_queryset(self, now=None):
        # The sizes are read with the provenance (``provenance``), which readers share.
        return ModelRelease.objects.visible_to(self.request.user, now).select_related(
            "predecessor", "source_article__author"
        )

    def get_context_data(self, **kwargs):
        release = self.object
        provenance = self.provenance(release)
        if self.is_kept_for_readers(release):
            parts = self.kept_parts(release, provenance, kwargs)
            return super().get_context_data(**provenance, **parts, **kwargs)
        return super().get_context_data(**self.drawn_context(release, provenance), body=None, **kwargs)

    def drawn_context(self, release, provenance):
        """What the page's article (RELEASE_BODY_TEMPLATE) and its structured data are drawn from."""
        family, tree = drawn_family(release, self.request.user, FAMILY_ON_RELEASE_PAGE)
        predecessor = self.shown(release.predecessor)
        source_article = self.shown(release.source_article)
        source_url = f"{source_article.get_absolute_url()}#{release.source_section}" if source_article else None
        return {
            **provenance,
            **self.drawn_tables(release, provenance),
            "predecessor": predecessor,
            "successors": family.successors,
            "source_article": source_article,
            "source_url": source_url,
            # The summary is often the article's passage itself: then it is printed once.
            "summary_is_passage": passage_found(release.source_quote, release.summary),
            "family": family,
            # A release without relatives draws no tree on its page.
            "family_tree": tree,
            "structured_data": json_ld(release_data(release, predecessor, source_article)),
        }

    def is_kept_for_readers(self, release):
        """Whether the page's article is kept (kept_parts): for readers, of a release they see.
        Anyone who may see more draws it, and so does the visitor of a shared preview of a draft,
        whom it tells so."""
        return self.request.user.is_anonymous and release.is_published and settings.CONTENT_STATE_SHARED

    def kept_parts(self, release, provenance, kwargs):
        """The page's article (``body``) and its structured data as readers see them, drawn
        when the page first shows them and kept under what they are drawn from, as its tables are
        (drawn_tables): the release's saved version and the reading of its provenance, which any
        edit of the catalogue renews (its family, its predecessor, its article's title, author
        and publication among them), and the script prefix its links are made with. A page
        whose parts are kept reads nothing else: not its family, nor its relatives' addresses."""
        drawn_from = version_of(release, provenance["read_as"], get_script_prefix(), *self.relatives_shown(release))
        context_of = super().get_context_data

        def draw():
            context = context_of(**self.drawn_context(release, provenance), **kwargs)
            body = render_to_string(RELEASE_BODY_TEMPLATE, context, self.request)
            return {"body": body, "structured_data": str(context["structured_data"])}

        return DrawnLater.each(RELEASE_PARTS, lambda: kept_fragment(RELEASE_PARTS_FORMAT, drawn_from, draw))

    def get_object(self, queryset=None):
        """The release of the address, read by SQL kept per process and audience
        (qwensite.freshness.prepared): the query DetailView makes, not built again for each page."""
        slug = self.kwargs[self.slug_url_kwarg]
        drafts = sees_drafts(self.request.user, ModelRelease)
        found = PreparedGet(
            ("release-page", drafts), lambda now, slug: self.get_queryset(now).filter(slug=slug).order_by()
        ).matching(slug)
        if found is None:  # its SQL could not be kept: DetailView's own query
            try:
                return super().get_object(queryset)
            except Http404:
                raise release_not_found(slug) from None
        if len(found) != 1:
            raise release_not_found(slug)
        return found[0]

    def provenance(self, release):
        """The release's sizes, its values with the claims that cite them, numbered as notes, and
        the latest changes of its values: three queries. Readers share it, kept per state of the
        catalogue (any edit of a release, a size, a claim, a source or an article's title or
        publication renews it, qwensite.freshness.state); a signed-in user's claims may cite
        sources readers cannot see, so theirs is read each time."""
        if self.request.user.is_anonymous:
            return remember(
                f"release-provenance:v1|{release.pk}", lambda: self.read_provenance(release), shown=RELEASES
            )
        return self.read_provenance(release)

    def read_provenance(self, release):
        prefetch_related_objects([release], "sizes")
        sizes = list(release.sizes.all())
        facts, notes = cited_facts(sizes, self.claims(release))
        for size in sizes:
            size.facts = {field: facts.get((size.pk, field)) for field in SIZE_FIELDS}
        events = [(label, facts[(None, field)]) for field, label in EVENT_FIELDS.items() if (None, field) in facts]
        return {
            "read_as": uuid.uuid4().hex,  # names this reading: what is drawn from it is kept under it
            "sizes": sizes,
            "sizes_display": release.sizes_display,
            "facts": {field: facts.get((None, field)) for field in RELEASE_FIELDS},
            "events": events,
            "notes": notes,
            "changes": list(release.value_changes.with_sources_for(self.request.user)[:CHANGES_SHOWN]),
        }

    def drawn_tables(self, release, provenance):
        """The facts and sizes tables (PROVENANCE_TABLES), drawn from the release and its
        provenance alone, as the page shows them (DrawnLater). Readers share a provenance kept
        per state, so theirs are kept too, under what they are drawn from: that reading of the
        provenance and the release's saved version (an edit between the two reads draws anew)."""

        def draw():
            context = {"release": release, **provenance}
            return {name: render_to_string(template, context) for name, template in PROVENANCE_TABLES.items()}

        if self.request.user.is_anonymous:
            drawn_from = version_of(release, provenance["read_as"])
            return DrawnLater.each(PROVENANCE_TABLES, lambda: kept_fragment(PROVENANCE_TABLES_FORMAT, drawn_from, draw))
        return DrawnLater.each(PROVENANCE_TABLES, draw)

    def relatives_shown(self, release):
        """What the article shows of the rows the page's query joined, as this reader sees them:
        the predecessor's and the source article's versions (or none: not seen), and the
        article's author's name. They name the kept parts beside the state's reading: an edit of
        one of them made after this page read it, but before it read the state, renews the state
        and not what this page drew; and an article coming due is seen by no edit."""
        article = self.shown(release.source_article)
        predecessor = self.shown(release.predecessor)
        return (
            version_of(predecessor) if predecessor else "-",
            version_of(article) if article else "-",
            article.author.name if article else "-",
        )

    def claims(self, release):
        """The release's claims this reader may see: those citing a source they may read."""
        return release.claims.readable_by(self.request.user).select_related("source__article")

    def shown(self, entry):
        """``entry`` if this reader may see it, else None: decided on the row the page's query
        joined (its publication state), with no query of its own."""
        return entry if entry is not None and is_visible_to(entry, self.request.user) else None


class DrawnLater:
    """What ``draw()`` gives (HTML drawn by the template engine), drawn once, when a template
    first shows it: inside the page's own rendering, not before it."""

    def __init__(self, draw):
        self.draw = cache(draw)

    def __str__(self):
        return mark_safe(self.draw())  # noqa: S308 - drawn by the template engine, escaped there

    __html__ = __str__

    @classmethod
    def each(cls, names, draw):
        """Each of ``names`` of the dict ``draw()`` gives, drawn later: ``draw`` is called once,
        when the page shows the first of them."""
        drawn = cache(draw)
        return {name: cls(lambda name=name: drawn()[name]) for name in names}


def drawn_family(release, user, limit, *, draw_alone=False):
    """The family of ``release`` as ``user`` may see it (releases.lineage) and its tree drawn
    (HTML): read and drawn once per state of the catalogue for each release, limit, kind of
    reader (drafts seen or not) and script prefix (its links'), then kept. A family holds other
    releases too, so any edit of the catalogue renews it; the walk of a large family is paid
    once, not on every page. A release alone in its family gets no tree (an empty one) unless
    ``draw_alone``. The name's version moves with the tree's template and with what a Family
    holds."""
    drafts = sees_drafts(user, ModelRelease)

    def read():
        family = family_of(release, user, limit=limit)
        if family.size < 2 and not draw_alone:
            return family, ""
        context = {"nodes": family.roots, "top": True, "label": f"Family tree of {release.name}"}
        return family, render_to_string("releases/_family_tree.html", context)

    name = f"family:v2|{release.pk}|{limit}|{drafts}|{draw_alone}|{get_script_prefix()}"
    family, html = remember(name, read, shown=RELEASES)
    return family, mark_safe(html)  # noqa: S308 - rendered by the template engine, escaped there


def release_not_found(typed):
    """The 404 for a release address that names none: what was asked for, and the published
    releases with the closest names."""
    close = names.suggestions(typed, ModelRelease.objects.published())
    return ReaderNotFound(
        f"No release called “{Truncator(typed).chars(60)}”. Every release is listed in the catalogue.",
        links=[(release.name, release.get_absolute_url()) for release in close],
    )


class ReleaseCiteView(View):
    """How to cite a release: its BibTeX entry to read, copy or download (the API's raw entry)."""

    def get(self, request, slug):
        user = request.user
        queryset = ModelRelease.objects.visible_to(user).annotate(
            source_slug=visible_slug("source_article", Article, user)
        )
        release = queryset.filter(slug=slug).first()
        if release is None:
            raise release_not_found(slug)
        context = {
            "release": release,
            "bibtex": release_citation(release),
            "bibtex_url": reverse("api:release-cite", kwargs={"slug": release.slug}),
        }
        return render(request, "releases/cite.html", context)


class FamilyView(DetailView):
    """A release's whole family tree: its first ancestor and every descendant."""

    template_name = "releases/family.html"
    context_object_name = "release"

    def get_queryset(self):
        return ModelRelease.objects.visible_to(self.request.user)

    def get_context_data(self, **kwargs):
        family, tree = drawn_family(self.object, self.request.user, FAMILY_LIMIT, draw_alone=True)
        first = family.roots[0].release if family.roots else self.object
        return super().get_context_data(
            family=family,
            family_tree=tree,
            canonical_url=absolute(reverse("releases:family", kwargs={"slug": first.slug})),
            **kwargs,
        )


RELEASE_PATH = re.compile(r"/releases/([^/]+)/?$")
# What a release's name or slug may look like as typed: letters, digits, spaces and . _ - ( ) +.
TYPED_NAME = re.compile(r"^[\w .()+-]{1,120}$")
COMPARE_LIMITS = f"Choose between 2 and {MAX_COMPARED} releases to compare"
PICKER_LIMIT = 100  # the newest releases the compare page offers to tick; others are typed


def typed_release(text):
    """What a reader typed for a release: its name or slug as given, or, for its address
    pasted whole (``https://…/releases/qwen-3/``), the slug in that address."""
    text = text.strip()
    if "/" in text:
        try:
            found = RELEASE_PATH.search(urlsplit(text).path)
        except ValueError:  # not a URL at all ("http://[x"): left as typed, refused as a name
            found = None
        text = found.group(1) if found else text
    return text


class ReleaseNamesField(forms.Field):
    """Several ``r`` values, each a release's name, slug or address; empty ones are dropped."""

    widget = forms.MultipleHiddenInput
    default_error_messages = {"required": f"{COMPARE_LIMITS}."}

    def to_python(self, value):
        values = value if isinstance(value, list | tuple) else [value]
        return [(raw, typed_release(raw)) for raw in values if isinstance(raw, str) and raw.strip()]


def quoted(value):
    return f"“{Truncator(value.strip()).chars(40)}”"


class CompareForm(forms.Form):
    """Two to four releases, each given by its name or slug (releases.names), looked up in one query."""

    r = ReleaseNamesField(label="Releases")

    def __init__(self, *args, queryset, **kwargs):
        super().__init__(*args, **kwargs)
        self.queryset = queryset
        self.value_errors = {}  # the reader's value -> what is wrong with it

    def clean_r(self):
        values = self.cleaned_data["r"]
        keys = list(dict.fromkeys(names.name_key(typed) for _, typed in values))
        if len(keys) > MAX_COMPARED:
            raise forms.ValidationError(f"{COMPARE_LIMITS}; you chose {len(keys)}.")
        for raw, typed in values:
            if not TYPED_NAME.match(typed) or not names.name_key(typed):
                self.value_errors[raw] = (
                    f"{quoted(raw)} is not the name of a release: give its name as the catalogue shows it "
                    "(Qwen 2.5) or the last part of its address (qwen-2-5)."
                )
        if self.value_errors:
            raise forms.ValidationError(list(dict.fromkeys(self.value_errors.values())))
        found = names.resolve([typed for _, typed in values], list(names.named(self.queryset, keys)))
        chosen = []
        for raw, typed in values:
            matches = found[typed]
            if len(matches) == 1:
                chosen.append(matches[0])
            elif matches:
                listed = " or ".join(f"{release.name} ({release.slug})" for release in matches)
                self.value_errors[raw] = f"{quoted(raw)} could be {listed}: give the one you mean by its address."
            else:
                self.value_errors[raw] = self.unknown(typed)
        if self.value_errors:
            raise forms.ValidationError(list(dict.fromkeys(self.value_errors.values())))
        chosen = list(dict.fromkeys(chosen))
        if len(chosen) < 2:
            raise forms.ValidationError(f"{COMPARE_LIMITS}; you chose {len(chosen)}.")
        return chosen

    def unknown(self, typed):
        close = names.suggestions(typed, self.queryset.model.objects.published())
        message = f"No release called {quoted(typed)}."
        if close:
            message += " Did you mean " + " or ".join(release.name for release in close) + "?"
        return message


def picker_releases():
    """The releases the compare page lists to tick (name and slug), newest first, at most
    PICKER_LIMIT, read once per content state."""
    published = ModelRelease.objects.published().order_by("-release_date", "name")
    return remember(
        "compare-picker", lambda: list(published.values_list("slug", "name")[:PICKER_LIMIT]), shown=RELEASES
    )


class CompareView(View):
    """Two to four releases side by side: /releases/compare/?r=qwen-2&r=Qwen+3.

    The page lists the newest PICKER_LIMIT releases to tick (read once per content state) and
    takes any release typed by name or slug; it reads at most MAX_COMPARED releases and their
    sizes.
    """

    template_name = "releases/compare.html"

    def get(self, request):
        redirect = redirect_without_empty_parameters(request)
        if redirect:
            return redirect
        if not request.GET:
            return render(request, self.template_name, self.form_context([], []))
        user = request.user
        queryset = ModelRelease.objects.visible_to(user).select_related("predecessor").with_sizes()
        form = CompareForm(request.GET, queryset=queryset)
        unknown = unknown_parameter_errors(request.GET, {"r"})
        if unknown or not form.is_valid():
            errors = [message for messages in form.errors.values() for message in messages]
            errors += [f"{name}: {message}" for name, messages in unknown.items() for message in messages]
            typed = request.GET.getlist("r")
            context = {"errors": errors, **self.form_context([], typed, form.value_errors)}
            return render(request, self.template_name, context, status=400)
        parameters_checked(request)
        compared = form.cleaned_data["r"]
        for release in compared:
            stated = {size.get_architecture_display() for size in release.sizes.all() if size.architecture}
            release.architectures = sorted(stated)
            predecessor = release.predecessor
            release.shown_predecessor = predecessor if predecessor and is_visible_to(predecessor, user) else None
        context = {"compared": compared, **self.form_context(compared, [])}
        return render(request, self.template_name, context)

    @staticmethod
    def form_context(chosen, typed, value_errors=None):
        """The picker (ticked for the chosen releases) and the text inputs: a chosen release the
        picker does not list, and every value that found no release, stay in a text input with
        its error, so the reader can correct it."""
        value_errors = value_errors or {}
        listed = picker_releases()
        listed_slugs = {slug for slug, _ in listed}
        chosen_slugs = {release.slug for release in chosen}
        typed_slugs = {typed_release(value).lower() for value in typed if value not in value_errors}
        ticked = chosen_slugs | (typed_slugs & listed_slugs)
        text = [release.slug for release in chosen if release.slug not in listed_slugs]
        text += [
            value
            for value in typed
            if value.strip() and (value in value_errors or typed_release(value).lower() not in listed_slugs)
        ]
        text = text[:MAX_COMPARED]
        text += [""] * max(0, 2 - len(text))
        slots = [
            {"number": number, "value": value, "error": value_errors.get(value)}
            for number, value in enumerate(text, start=1)
        ]
        picker = [{"slug": slug, "name": name, "checked": slug in ticked} for slug, name in listed]
        return {"slots": slots, "picker": picker, "picker_limited": len(listed) == PICKER_LIMIT}


class ReleaseCalendarView(View):
    """Every published release date as an iCalendar file.

    A release known only to the month is an all-day event spanning that month.
    """

    def get(self, request):
        calendar = Calendar()
        calendar.add("prodid", "-//qwensite//Qwen releases//EN")
        calendar.add("version", "2.0")
        calendar.add("x-wr-calname", "Qwen releases")
        host = site_domain()
        for release in ModelRelease.objects.published().order_by("release_date", "name"):
            event = Event()
            start = release.release_date
            if release.date_precision == DatePrecision.MONTH:
                start = start.replace(day=1)
                end = (start + dt.timedelta(days=32)).replace(day=1)
            else:
                end = start + dt.timedelta(days=1)
            event.add("uid", f"release-{release.slug}@{host}")
            event.add("summary", f"{release.name} released")
            event.add("dtstart", start)
            event.add("dtend", end)
            event.add("dtstamp", release.updated_at or timezone.now())
            event.add("description", f"{release.summary}\n\nDate given to the {release.date_precision}.")
            event.add("url", absolute(release.get_absolute_url()))
            calendar.add_component(event)
        response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
        response["Content-Disposition"] = 'inline; filename="qwen-releases.ics"'
        return response


class SourcesView(View):
    """Every source of the catalogue, and the values of the releases it supports."""

    template_name = "releases/sources.html"

    def get(self, request):
        sources = list(
            Source.objects.readable_by(request.user).select_related("article").order_by("tier", "title", "pk")
        )
        claims = (
            Claim.objects.filter(
                source__in=[s.pk for s in sources], release__in=ModelRelease.objects.visible_to(request.user)
            )
            .select_related("release", "size")
            .order_by("release__release_date", "release__name", "size__parameters_b", "field")
        )
        supported = {}
        for claim in claims:
            supported.setdefault(claim.source_id, []).append(claim)
        for source in sources:
            source.supported = supported.get(source.pk, [])
        return render(request, self.template_name, {"sources": sources})


class ChangesView(StrictPageMixin, ListView):
    """Every change of a value readers see, newest first: the catalogue's public change log."""

    template_name = "releases/changes.html"
    context_object_name = "changes"
    paginate_by = 50

    def get_queryset(self):
        return (
            ValueChange.objects.filter(release__in=ModelRelease.objects.visible_to(self.request.user))
            .with_sources_for(self.request.user)
            .select_related("release")
            .order_by("-changed_at", "-pk")
        )


class DataView(View):
    """The open-data snapshots, newest first, each downloadable and citable."""

    def get(self, request):
        snapshots = Snapshot.objects.defer("files").order_by("-published_at", "-pk")
        return render(request, "releases/data.html", {"snapshots": snapshots})


class SnapshotView(View):
    def get(self, request, slug):
        snapshot = get_object_or_404(Snapshot, slug=slug)
        url = absolute(snapshot.get_absolute_url())
        files = [
            (name, len(text.encode("utf-8")), snapshot.checksums[name]) for name, text in sorted(snapshot.files.items())
        ]
        context = {"snapshot": snapshot, "files": files, "bibtex": snapshot_bibtex(snapshot, url)}
        return render(request, "releases/snapshot.html", context)


SNAPSHOT_TYPES = {".json": "application/json", ".csv": "text/csv", ".txt": "text/plain"}


class SnapshotFileView(View):
    """A snapshot's file, byte for byte as published (its SHA-256 is on the snapshot's page)."""

    def get(self, request, slug, name):
        snapshot = get_object_or_404(Snapshot, slug=slug)
        if name not in snapshot.files:
            raise Http404("This snapshot has no such file.")
        content_type = SNAPSHOT_TYPES.get(name[name.rfind(".") :], "application/octet-stream")
        response = HttpResponse(snapshot.files[name].encode("utf-8"), content_type=f"{content_type}; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="qwensite-{snapshot.slug}-{name}"'
        response["Digest"] = f"sha-256={snapshot.checksums[name]}"
        return response
