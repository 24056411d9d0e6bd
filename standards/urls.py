from django.urls import path

from . import views

app_name = "standards"

urlpatterns = [
    path("", views.CriteriaVersionListView.as_view(), name="version_list"),
    path("<int:pk>/", views.CriteriaVersionDetailView.as_view(), name="version_detail"),
]
