"""Share a draft: signed, expiring, revocable preview links.

A link's URL carries a token signed with the site's secret (django.core.signing), so
links cannot be guessed or forged; whether it still works is decided by its row: it
must exist, not be revoked and not be past its expiry time. The entry is rendered by
the same view class and template readers get, as it is now.
"""

from django.core import signing
from django.shortcuts import render
from django.urls import reverse
from django.views import View

from qwensite.editorial.models import PreviewLink

SALT = "articles.preview-link"  # unchanged since the links lived in the articles app: links stay valid


def make_token(link):
    # No timestamp in the signature: a link has one stable URL, and its row decides expiry.
    return signing.Signer(salt=SALT).sign_object({"link": link.pk}, compress=True)


def preview_url(link):
    return reverse("preview", kwargs={"token": make_token(link)})


def link_from_token(token):
    """The PreviewLink a token names, or None if the token is forged or malformed."""
    try:
        data = signing.Signer(salt=SALT).unsign_object(token)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("link"), int):
        return None
    return PreviewLink.objects.select_related("content_type").filter(pk=data["link"]).first()


def _preview_detail_view(view_class, entry, link):
    """The readers' detail view, showing this entry whatever its publication state.

    Its template is told of the link (``shared_preview``), so that it tells the visitor the
    truth: a preview shared by the editors, not a page of the site yet.
    """

    class PreviewDetailView(view_class):
        def get_object(self, queryset=None):
            return entry

        def get_context_data(self, **kwargs):
            return {**super().get_context_data(**kwargs), "shared_preview": link}

    return PreviewDetailView.as_view()


class SharedPreviewView(View):
    """Show the entry a preview link names, to anyone holding a working link.

    ``detail_views`` maps each previewable model to the readers' detail view class that renders
    it (given by the URL map: ``SharedPreviewView.as_view(detail_views={...})``).
    """

    detail_views = {}

    def get(self, request, token):
        link = link_from_token(token)
        if link is None:
            return self.unavailable(request, "This preview link is not valid.", status=404)
        if link.revoked_at is not None:
            return self.unavailable(request, "This preview link was revoked by the editors.")
        if not link.is_active:
            return self.unavailable(request, "This preview link has expired.")
        entry = link.entry
        view_class = self.detail_views.get(type(entry))
        if view_class is None:
            return self.unavailable(request, "The entry this link previewed no longer exists.", status=404)
        response = _preview_detail_view(view_class, entry, link)(request, slug=entry.slug)
        return self.private(response)

    def unavailable(self, request, reason, status=410):
        response = render(request, "editorial/preview_unavailable.html", {"reason": reason}, status=status)
        return self.private(response)

    @staticmethod
    def private(response):
        response["Cache-Control"] = "private, no-store"
        response["X-Robots-Tag"] = "noindex, nofollow"
        response["Referrer-Policy"] = "no-referrer"
        return response
