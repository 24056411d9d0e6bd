"""The portal's URLs plus a bare upload view, the baseline of the upload benchmark."""

from django.http import HttpResponse
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt


@csrf_exempt
def bare_upload(request):
    # Django's own upload handling and nothing else: read the file and drop it.
    upload = request.FILES["file"]
    size = sum(len(chunk) for chunk in upload.chunks())
    return HttpResponse(str(size))


urlpatterns = [
    path("bench/bare-upload/", bare_upload),
    path("", include("portal.urls")),
]
