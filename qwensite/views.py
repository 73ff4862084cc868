"""Site-wide pages that belong to no single app: search and robots.txt."""

from django import forms
from django.conf import settings
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from qwensite.caching import parameters_checked
from qwensite.search import search


class SearchForm(forms.Form):
    q = forms.CharField(label="Search articles and releases", max_length=200, required=False)


@require_safe
def search_view(request):
    form = SearchForm(request.GET)
    unknown = sorted(set(request.GET) - {"q"})
    context = {"form": form, "query": "", "results": []}
    if not form.is_valid() or unknown:
        context["errors"] = [m for messages in form.errors.values() for m in messages] + [
            f"Unknown query parameter {name!r}: use q=<words>." for name in unknown
        ]
        return render(request, "search.html", context, status=400)
    parameters_checked(request)
    query = form.cleaned_data["q"].strip()
    context.update(query=query, results=search(query) if query else [])
    return render(request, "search.html", context)


@require_safe
def robots_txt(request):
    return render(
        request,
        "robots.txt",
        {"sitemap_url": f"{settings.SITE_URL}{reverse('sitemap')}"},
        content_type="text/plain; charset=utf-8",
    )
