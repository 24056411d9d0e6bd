from django.urls import path

from . import views

app_name = "audit"

urlpatterns = [
    path("", views.trail, name="trail"),
    path("trail.xlsx", views.trail_xlsx, name="trail_xlsx"),
]
