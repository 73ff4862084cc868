from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Articles"

    def ready(self):
        from articles.models import Article, Author, Tag
        from qwensite.freshness.state import track

        track(Article, Author, Tag)  # readers see these rows: an edit renews the content state
