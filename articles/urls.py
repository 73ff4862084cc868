from django.urls import path

from articles import views
from qwensite.ops.transactions import reading

app_name = "articles"

# The reader's pages only read: no transaction (qwensite.ops.transactions).
urlpatterns = reading(
    [
        path("", views.ArticleListView.as_view(), name="list"),
        path("tags/<slug:slug>/", views.TagDetailView.as_view(), name="tag"),
        path("authors/<slug:slug>/", views.AuthorDetailView.as_view(), name="author"),
        path("<slug:slug>/", views.ArticleDetailView.as_view(), name="detail"),
    ]
)
