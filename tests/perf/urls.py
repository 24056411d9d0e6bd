"""The portal's URLs plus the benchmarks' baselines: a bare upload view, and a page that
requires log-in and renders a tiny template (the page benchmark's yardstick)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt


@csrf_exempt
def bare_upload(request):
    # Django's own upload handling and nothing else: read the file and drop it.
    upload = request.FILES["file"]
    size = sum(len(chunk) for chunk in upload.chunks())
    return HttpResponse(str(size))


@login_required
def baseline(request):
    return render(request, "perf/baseline.html")


urlpatterns = [
    path("bench/bare-upload/", bare_upload),
    path("bench/baseline/", baseline),
    path("", include("portal.urls")),
]
