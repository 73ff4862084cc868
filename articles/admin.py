"""The editors' admin for articles, authors, tags and preview links."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import HttpResponse, HttpResponseNotAllowed
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from simple_history.admin import SimpleHistoryAdmin

from articles.markdown import render_markdown
from articles.models import Article, Author, Tag
from qwensite.editorial.admin import EditorialAdmin, EditorialForm

admin.site.site_header = admin.site.site_title = "qwensite editors"
admin.site.index_title = "Articles and releases"


class PublishedYearFilter(admin.SimpleListFilter):
    title = "publication year"
    parameter_name = "year"

    def lookups(self, request, model_admin):
        years = model_admin.get_queryset(request).dates("published_at", "year", order="DESC")
        return [(str(year.year), str(year.year)) for year in years]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(published_at__year=self.value())
        return queryset


@admin.register(Author)
class AuthorAdmin(SimpleHistoryAdmin):
    list_display = ["name", "slug", "article_count", "website"]
    search_fields = ["name", "bio"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["public_link"]
    ordering = ["name"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(article_count=Count("articles"))

    @admin.display(description="articles", ordering="article_count")
    def article_count(self, obj):
        return obj.article_count

    @admin.display(description="public page")
    def public_link(self, obj):
        if obj is None or obj.pk is None:
            return "Available once saved."
        return format_html('<a href="{}">View on the site</a>', obj.get_absolute_url())


@admin.register(Tag)
class TagAdmin(AuthorAdmin):
    list_display = ["name", "slug", "article_count"]
    search_fields = ["name"]


class ArticleForm(EditorialForm):
    class Meta:
        model = Article
        fields = "__all__"
        error_messages = {"slug": {"unique": "Another article already uses this slug: choose a different one."}}


@admin.register(Article)
class ArticleAdmin(EditorialAdmin):
    form = ArticleForm
    list_display = ["title", "author", "publication_state", "published_at", "updated_at", "view_link"]
    list_filter = ["status", PublishedYearFilter, "tags", "author"]
    list_select_related = ["author"]
    search_fields = ["title", "summary", "body", "author__name"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["author", "tags"]
    readonly_fields = ["body_preview"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "author", "tags", "summary"]}),
        ("Body", {"fields": ["body", "body_preview"]}),
        ("Publication", {"fields": ["status", "published_at", "public_link", "version"]}),
    ]

    class Media:
        js = ["admin/js/markdown_preview.js"]

    @admin.display(description="rendered preview")
    def body_preview(self, obj):
        html = mark_safe(render_markdown(obj.body if obj else ""))  # noqa: S308 sanitized by nh3
        return format_html(
            '<div class="markdown-preview" id="body-preview" role="region" aria-label="Rendered preview of the body" '
            'tabindex="0" aria-live="polite" data-preview-url="{}">{}</div>',
            reverse("admin:articles_article_markdown_preview"),
            html,
        )

    @admin.display(description="page")
    def view_link(self, obj):
        return format_html('<a href="{}">View</a>', obj.get_absolute_url())

    @staticmethod
    def recorded_tags(record):
        """The tags a historical record of an article holds."""
        through = Article.history.model._meta.get_field("historicalarticle_tags").related_model
        return Tag.objects.filter(pk__in=through.objects.filter(history=record).values("tag_id"))

    def recover_related(self, request, instance, record):
        """Give the recovered article the tags it had in its last version before deletion."""
        before = (
            Article.history.filter(id=instance.pk, history_date__lt=record.history_date)
            .exclude(history_type="-")
            .order_by("-history_date")
            .first()
        )
        if before is not None:
            instance.tags.set(self.recorded_tags(before))

    def restore_related(self, request, instance, target, reason):
        """A reverted article gets back the tags of that version."""
        super().restore_related(request, instance, target, reason)
        instance.tags.set(self.recorded_tags(target.record))

    def get_urls(self):
        return [
            path(
                "markdown-preview/",
                self.admin_site.admin_view(self.markdown_preview_view),
                name="articles_article_markdown_preview",
            ),
            *super().get_urls(),
        ]

    def markdown_preview_view(self, request):
        """Render posted Markdown exactly as readers' pages do: python-markdown, then nh3."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not (self.has_add_permission(request) or self.has_change_permission(request)):
            raise PermissionDenied
        response = HttpResponse(render_markdown(request.POST.get("body", "")), content_type="text/html; charset=utf-8")
        response["Cache-Control"] = "private, no-store"
        return response
