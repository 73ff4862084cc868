from django.urls import path

from qwensite.ops.transactions import reading
from releases import views

app_name = "releases"

# The reader's pages only read: no transaction (qwensite.ops.transactions).
urlpatterns = reading(
    [
        path("", views.ReleaseListView.as_view(), name="list"),
        path("compare/", views.CompareView.as_view(), name="compare"),
        path("sources/", views.SourcesView.as_view(), name="sources"),
        path("changes/", views.ChangesView.as_view(), name="changes"),
        path("<slug:slug>/", views.ReleaseDetailView.as_view(), name="detail"),
        path("<slug:slug>/cite/", views.ReleaseCiteView.as_view(), name="cite"),
        path("<slug:slug>/family/", views.FamilyView.as_view(), name="family"),
    ]
)
