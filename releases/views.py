import datetime as dt

from django import forms
from django.conf import settings
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import urlencode
from django.views import View
from django.views.generic import DetailView, TemplateView
from icalendar import Calendar, Event

from articles.models import Article
from qwensite.pagination import ScalablePaginator, count_key_for
from qwensite.structured_data import json_ld, release_data, website_data
from releases.filters import ReleaseFilter
from releases.models import Architecture, DatePrecision, Kind, ModelRelease
from releases.timeline import build_timeline

LATEST_RELEASES = 5
CATALOGUE_PAGE_SIZE = 25
MAX_PAGE_SIZE = 100
ORDERINGS = [
    ("", "Newest first"),
    ("release_date", "Oldest first"),
    ("name", "Name, A to Z"),
    ("-name", "Name, Z to A"),
    ("-max_size_b", "Largest first"),
    ("max_size_b", "Smallest first"),
]
MAX_COMPARED = 4


def redirect_without_empty_parameters(request):
    """A GET form sends its empty fields too; send the reader to the short, shareable URL."""
    if not any("" in request.GET.getlist(key) for key in request.GET):
        return None
    kept = [(key, value) for key in request.GET for value in request.GET.getlist(key) if value != ""]
    query = urlencode(kept)
    return HttpResponseRedirect(f"{request.path}?{query}" if query else request.path)


class HomeView(TemplateView):
    template_name = "home.html"

    def get_context_data(self, **kwargs):
        releases = list(ModelRelease.objects.published())
        latest = sorted(releases, key=lambda r: (r.release_date, r.name), reverse=True)[:LATEST_RELEASES]
        return super().get_context_data(
            lead_article=Article.objects.published().with_related().first(),
            timeline=build_timeline(releases),
            latest_releases=latest,
            structured_data=json_ld(website_data()),
            **kwargs,
        )


class PageSizeForm(forms.Form):
    """``page_size``, which the FilterSet accepts for the API, means the same on the page."""

    page_size = forms.IntegerField(min_value=1, max_value=MAX_PAGE_SIZE, required=False)


class ReleaseListView(View):
    """The catalogue: the API's FilterSet behind a GET form, ordered and paginated."""

    template_name = "releases/release_list.html"

    def get(self, request):
        redirect = redirect_without_empty_parameters(request)
        if redirect:
            return redirect
        queryset = ModelRelease.objects.published().with_sizes()
        filterset = ReleaseFilter(request.GET, queryset=queryset, request=request)
        years = list(ModelRelease.objects.published().dates("release_date", "year", order="DESC"))
        values = {key: request.GET.get(key, "") for key in filterset.filters}
        options = {
            "year": {str(year.year) for year in years},
            "open_weights": {"true", "false"},
            "kind": set(Kind.values),
            "architecture": set(Architecture.values),
            "ordering": {value for value, _ in ORDERINGS},
        }
        context = {
            "filterset": filterset,
            "years": years,
            "kinds": Kind.choices,
            "architectures": Architecture.choices,
            "orderings": ORDERINGS,
            "values": values,
            # A value the form's menus do not offer (2023,2024, a typo) is still shown as given.
            "unlisted": {name: values[name] for name, known in options.items() if values[name] not in known | {""}},
            "is_filtered": any(key not in {"page", "page_size", "ordering"} for key in request.GET),
        }
        page_size = PageSizeForm(request.GET)
        if not filterset.is_valid() or not page_size.is_valid():
            context["errors"] = [
                (name, filterset.form.fields[name].label if name in filterset.form.fields else name, message)
                for name, messages in filterset.form.errors.items()
                for message in messages
            ] + [(name, "Page size", message) for name, messages in page_size.errors.items() for message in messages]
            return render(request, self.template_name, context, status=400)
        paginator = ScalablePaginator(
            filterset.qs,
            page_size.cleaned_data["page_size"] or CATALOGUE_PAGE_SIZE,
            count_key=count_key_for(request),
        )
        page = paginator.get_page(request.GET.get("page"))
        if request.GET.get("page") and str(page.number) != request.GET["page"]:
            raise Http404("No such page of the catalogue.")
        context.update(page_obj=page, releases=page.object_list, paginator=paginator)
        return render(request, self.template_name, context)


class ReleaseDetailView(DetailView):
    template_name = "releases/release_detail.html"
    context_object_name = "release"

    def get_queryset(self):
        return (
            ModelRelease.objects.visible_to(self.request.user)
            .select_related("predecessor", "source_article__author")
            .with_sizes()
        )

    def get_context_data(self, **kwargs):
        release = self.object
        successors = release.successors.published().order_by("release_date", "name")
        # An unpublished predecessor is not shown to readers (editors see drafts via visible_to).
        predecessor = release.predecessor if release.predecessor and release.predecessor.is_published else None
        return super().get_context_data(
            predecessor=predecessor,
            successors=list(successors),
            source_url=f"{release.source_article.get_absolute_url()}#{release.source_section}",
            cite_url=f"/api/v1/releases/{release.slug}/cite/",
            structured_data=json_ld(release_data(release, predecessor)),
            **kwargs,
        )


class CompareForm(forms.Form):
    r = forms.MultipleChoiceField(label="Releases", choices=())

    def __init__(self, *args, releases, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["r"].choices = [(release.slug, release.name) for release in releases]

    def clean_r(self):
        slugs = list(dict.fromkeys(self.cleaned_data["r"]))
        if not 2 <= len(slugs) <= MAX_COMPARED:
            raise forms.ValidationError(f"Choose two to {MAX_COMPARED} different releases to compare.")
        return slugs


class CompareView(View):
    """Two to four releases side by side: /releases/compare/?r=qwen-2&r=qwen-3."""

    template_name = "releases/compare.html"

    def get(self, request):
        redirect = redirect_without_empty_parameters(request)
        if redirect:
            return redirect
        releases = list(ModelRelease.objects.published().select_related("predecessor").with_sizes())
        context = {"all_releases": releases, "slots": range(1, MAX_COMPARED + 1), "chosen": []}
        unknown = sorted(set(request.GET) - {"r"})
        if not request.GET:
            return render(request, self.template_name, context)
        form = CompareForm(request.GET, releases=releases)
        if unknown or not form.is_valid():
            errors = [message for messages in form.errors.values() for message in messages] if form.errors else []
            errors += [f"Unknown query parameter {name!r}: use r=<release> for each release." for name in unknown]
            context.update(errors=errors, chosen=request.GET.getlist("r"))
            return render(request, self.template_name, context, status=400)
        by_slug = {release.slug: release for release in releases}
        compared = [by_slug[slug] for slug in form.cleaned_data["r"]]
        for release in compared:
            release.architectures = sorted({size.get_architecture_display() for size in release.sizes.all()})
        context.update(compared=compared, chosen=[release.slug for release in compared])
        return render(request, self.template_name, context)


class ReleaseCalendarView(View):
    """Every published release date as an iCalendar file.

    A release known only to the month is an all-day event spanning that month.
    """

    def get(self, request):
        calendar = Calendar()
        calendar.add("prodid", "-//qwensite//Qwen releases//EN")
        calendar.add("version", "2.0")
        calendar.add("x-wr-calname", "Qwen releases")
        host = settings.SITE_URL.split("://", 1)[-1]
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
            event.add("url", request.build_absolute_uri(release.get_absolute_url()))
            calendar.add_component(event)
        response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
        response["Content-Disposition"] = 'inline; filename="qwen-releases.ics"'
        return response
