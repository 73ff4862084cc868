from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.http import urlencode
from django.views.generic import DetailView, ListView

from articles.models import Article, Author, Tag
from articles.told import told_releases
from qwensite.editorial.publishing import is_visible_to
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
        # from its text; beside it, how many there are and the first of them (articles.told),
        # kept once per content state, so the page costs what it shows, not what the story holds.
        told = told_releases(article, self.request.user)
        return super().get_context_data(
            body_html=told.body_html,
            structured_data=json_ld(article_data(article, article.word_count)),
            told=told,
            told_releases=told.listed,
            told_url=self.catalogue_of(article),
            **kwargs,
        )

    def catalogue_of(self, article):
        """The catalogue filtered to the releases ``article`` tells; None where this reader could
        not open it (a shared preview of a draft: the filter knows only the articles they may see)."""
        if not is_visible_to(article, self.request.user):
            return None
        return f"{reverse('releases:list')}?{urlencode({'article': article.slug})}"


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
