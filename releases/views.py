from django.views.generic import DetailView, ListView, TemplateView

from articles.models import Article
from qwensite.pagination import ScalablePaginator, count_key_for
from releases.models import ModelRelease


class HomeView(TemplateView):
    template_name = "home.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            lead_article=Article.objects.published().with_related().first(),
            latest_releases=ModelRelease.objects.published().with_sizes()[:5],
            **kwargs,
        )


class ReleaseListView(ListView):
    template_name = "releases/release_list.html"
    context_object_name = "releases"
    paginate_by = 25
    paginator_class = ScalablePaginator

    def get_queryset(self):
        return ModelRelease.objects.published().with_sizes()

    def get_paginator(self, *args, **kwargs):
        return super().get_paginator(*args, count_key=count_key_for(self.request), **kwargs)


class ReleaseDetailView(DetailView):
    template_name = "releases/release_detail.html"
    context_object_name = "release"

    def get_queryset(self):
        return (
            ModelRelease.objects.visible_to(self.request.user)
            .select_related("predecessor", "source_article")
            .with_sizes()
        )
