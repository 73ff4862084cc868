from django.urls import path

from articles import views

app_name = "articles"

urlpatterns = [
    path("", views.ArticleListView.as_view(), name="list"),
    path("tags/<slug:slug>/", views.TagDetailView.as_view(), name="tag"),
    path("authors/<slug:slug>/", views.AuthorDetailView.as_view(), name="author"),
    path("<slug:slug>/", views.ArticleDetailView.as_view(), name="detail"),
]
