from django.shortcuts import get_object_or_404
from django.views.generic import DetailView, ListView

from articles.models import Article, Author, Tag
from articles.release_links import link_release_names
from qwensite.filtering.filters import StrictPageMixin
from qwensite.seo.structured_data import article_data, json_ld


class ArticleListView(StrictPageMixin, ListView):
    template_name = "articles/article_list.html"
    context_object_name = "articles"
    paginate_by = 20

    def get_queryset(self):
        return Article.objects.published().with_related()


class ArticleDetailView(DetailView):
    template_name = "articles/article_detail.html"
    context_object_name = "article"

    def get_queryset(self):
        return Article.objects.visible_to(self.request.user).with_related()

    def get_context_data(self, **kwargs):
        article = self.object
        # The narrative-data link: the releases this article tells, and only those, are linked
        # from its text and listed beside it. One query, bounded by the article, not the catalogue.
        told_releases = list(
            article.releases.visible_to(self.request.user)
            .order_by("release_date", "name")
            .only("name", "slug", "release_date", "date_precision", "source_section", "source_article")
        )
        mentioned = [(release.name, release.get_absolute_url()) for release in told_releases]
        return super().get_context_data(
            body_html=link_release_names(article.body_html, mentioned),
            structured_data=json_ld(article_data(article, article.word_count)),
            told_releases=told_releases,
            **kwargs,
        )


class TagDetailView(ArticleListView):
    template_name = "articles/tag_detail.html"

    def get_queryset(self):
        self.tag = get_object_or_404(Tag, slug=self.kwargs["slug"])
        return super().get_queryset().filter(tags=self.tag)

    def get_context_data(self, **kwargs):
        return super().get_context_data(tag=self.tag, **kwargs)


class AuthorDetailView(ArticleListView):
    template_name = "articles/author_detail.html"

    def get_queryset(self):
        self.author = get_object_or_404(Author, slug=self.kwargs["slug"])
        return super().get_queryset().filter(author=self.author)

    def get_context_data(self, **kwargs):
        return super().get_context_data(author=self.author, **kwargs)
