"""The portal's URLs and one that fails, for the 500 page's tests."""

from django.urls import path

from portal.urls import handler500
from portal.urls import urlpatterns as portal_urlpatterns


def _fails(request):
    raise RuntimeError("a bug")


urlpatterns = [*portal_urlpatterns, path("fails/", _fails)]
__all__ = ["handler500", "urlpatterns"]
