"""The public verification page: is this PDF signed by the department, and unchanged since?"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from designations.forms import DocumentVerifyForm


@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    """Upload a naming notice or a certificate; the page says whether its signature is intact,
    covers the whole file and is the department's. Nothing is stored."""
    from core.signing import signing_configured, verify_pdf

    result = None
    form = DocumentVerifyForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        result = verify_pdf(form.cleaned_data["document"].read())
    return render(
        request,
        "designations/verify.html",
        {"form": form, "result": result, "configured": signing_configured()},
        status=400 if request.method == "POST" and not form.is_valid() else 200,
    )
