from django.apps import AppConfig

CONTENT_KIND = "articles"  # the kind of content of the articles (qwensite.freshness.state.track)


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Articles"

    def ready(self):
        from articles.models import Article, Author, Tag
        from qwensite.freshness.state import track

        track(Article, Author, Tag, kind=CONTENT_KIND)  # readers see these rows: an edit renews their state
