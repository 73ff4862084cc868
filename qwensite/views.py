"""Site-wide pages that belong to no single app: the home page, search, the feeds and robots.txt."""

from django import forms
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.generic import TemplateView

from articles.feeds import LatestArticlesFeed
from articles.models import Article, Tag
from qwensite.filtering.parameters import repeated_parameter_errors, unknown_parameter_errors
from qwensite.freshness.middleware import parameters_checked
from qwensite.freshness.state import remember
from qwensite.ops.transactions import safe_reads
from qwensite.search import search
from qwensite.seo.origin import absolute
from qwensite.seo.structured_data import json_ld, website_data
from releases.feeds import CorrectionsFeed, LatestReleasesFeed
from releases.models import ModelRelease
from releases.timeline import build_timeline

LATEST_RELEASES = 5
# The home timeline draws the releases the lead article tells, at most this many (the latest).
TIMELINE_LIMIT = 40
TIMELINE_TEMPLATE = "_home_timeline.html"
TIMELINE_FORMAT = "home-timeline:v1"  # the kept drawing's name; each build of the code keeps its own


class HomeView(TemplateView):
    """The lead article, a timeline of the releases it tells, and the latest releases.

    Every query here is bounded: the timeline reads at most TIMELINE_LIMIT + 1 rows (the
    extra one only says that there are more), the latest releases LATEST_RELEASES.
    """

    template_name = "home.html"

    def get_context_data(self, **kwargs):
        lead_article = Article.objects.published().select_related("author").first()
        timeline, truncated, timeline_html = drawn_timeline(lead_article)
        return super().get_context_data(
            lead_article=lead_article,
            timeline=timeline,
            timeline_truncated=truncated,
            timeline_html=timeline_html,
            latest_releases=list(ModelRelease.objects.published().order_by("-release_date", "name")[:LATEST_RELEASES]),
            structured_data=json_ld(website_data()),
            **kwargs,
        )


def drawn_timeline(lead_article):
    """The timeline of the releases ``lead_article`` tells: the laid-out Timeline, whether the
    cap left some out, and its section of the home page drawn as HTML.

    Kept once per state of the content (qwensite.freshness.state): drawing its SVGs renders
    over a thousand template variables, far more than the rest of the page. Any edit of an
    article or a release renews it, and so does a scheduled entry coming due.
    """

    def draw():
        told = []
        if lead_article:
            told = ModelRelease.objects.published().for_lists().filter(source_article=lead_article)
            told = list(told.order_by("-release_date", "name")[: TIMELINE_LIMIT + 1])
        timeline = build_timeline(told[:TIMELINE_LIMIT], lead_article.sections if lead_article else ())
        truncated = len(told) > TIMELINE_LIMIT
        context = {
            "lead_article": lead_article,
            "timeline": timeline,
            "timeline_truncated": truncated,
            "timeline_limit": TIMELINE_LIMIT,
        }
        return timeline, truncated, render_to_string(TIMELINE_TEMPLATE, context)

    return remember(f"{TIMELINE_FORMAT}|{lead_article.pk if lead_article else None}", draw)


class SearchForm(forms.Form):
    q = forms.CharField(label="Search articles and releases", max_length=200, required=False)


@safe_reads
def search_view(request):
    form = SearchForm(request.GET)
    unknown = {**repeated_parameter_errors(request.GET, ()), **unknown_parameter_errors(request.GET, {"q"})}
    context = {"form": form, "query": "", "results": []}
    if not form.is_valid() or unknown:
        context["errors"] = [m for messages in form.errors.values() for m in messages] + [
            f"{name}: {message}" for name, messages in unknown.items() for message in messages
        ]
        return render(request, "search.html", context, status=400)
    parameters_checked(request)
    query = form.cleaned_data["q"].strip()
    results = search(query) if query else []
    context.update(query=query, results=results, corrected=getattr(results, "corrected", None))
    return render(request, "search.html", context)


# The feeds the feeds page lists: (anchor, the feed, its URL name). The calendar is listed too.
FEEDS = [
    ("articles", LatestArticlesFeed, "feed-articles"),
    ("releases", LatestReleasesFeed, "feed-releases"),
    ("corrections", CorrectionsFeed, "feed-corrections"),
]


@safe_reads
def feeds_view(request):
    """What a feed is, how to subscribe, and every feed of the site with its address."""
    feeds = [
        {
            "key": key,
            "title": feed.title.removeprefix("qwensite: ").capitalize(),
            "description": feed.subtitle,
            "path": reverse(name),
            "url": absolute(reverse(name)),
            "type": "application/atom+xml",
            "format": "Atom feed",
        }
        for key, feed, name in FEEDS
    ]
    feeds.append(
        {
            "key": "calendar",
            "title": "Release calendar",
            "description": "Every release date as a calendar (iCalendar) to add to a calendar app: "
            "subscribe to its address, or import it.",
            "path": reverse("release-calendar"),
            "url": absolute(reverse("release-calendar")),
            "type": "text/calendar",
            "format": "calendar",
        }
    )
    tags = Tag.objects.filter(articles__in=Article.objects.published()).distinct().order_by("name")
    tags = list(tags)
    for tag in tags:
        tag.feed_url = absolute(reverse("feed-tag", kwargs={"slug": tag.slug}))
    return render(request, "feeds.html", {"feeds": feeds, "tags": tags})


@safe_reads
def robots_txt(request):
    return render(
        request,
        "robots.txt",
        {"sitemap_url": absolute(reverse("sitemap"))},
        content_type="text/plain; charset=utf-8",
    )
