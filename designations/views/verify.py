"""The public verification pages: is this PDF signed by the department, and unchanged since?
And, from the code printed on a certificate or a notice: does the title still stand today?"""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods
from django_ratelimit.decorators import ratelimit

from core.net import client_ip
from core.signing import signing_configured, verify_pdf
from designations.forms import DocumentVerifyForm, VerificationCodeForm
from designations.models import Designation
from designations.selectors import verification_lookup
from designations.verification import designation_standing


def _address(group: str, request: HttpRequest) -> str:
    # Behind the proxies the deployment trusts, the address they saw (as the audit columns).
    return client_ip(request) or ""


def _rate(group: str, request: HttpRequest) -> str:
    return settings.PUBLIC_VERIFY_RATE


@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    """Upload a naming notice or a certificate; the page says whether its signature is intact,
    covers the whole file and is the department's. Nothing is stored. A code typed from a
    printed document leads to its page."""
    code_form = VerificationCodeForm(request.GET if "code" in request.GET else None)
    if code_form.is_valid():
        return redirect("public_verify_code", code=code_form.cleaned_data["code"])
    result = None
    form = DocumentVerifyForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        result = verify_pdf(form.cleaned_data["document"].read())
    bad = (request.method == "POST" and not form.is_valid()) or code_form.is_bound
    return render(
        request,
        "designations/verify.html",
        {
            "form": form,
            "code_form": code_form,
            "result": result,
            "configured": signing_configured(),
        },
        status=400 if bad else 200,
    )


@require_GET
@ratelimit(group="public_verify_code", key=_address, rate=_rate, block=False)
def verify_code(request: HttpRequest, code: str) -> HttpResponse:
    """A certificate's or a notice's code (no log-in): the bureau, the designation's number and
    date and the title's standing today; for a notice, each designation it lists. An unknown
    code is a 404; past the rate per address a 429, known code or not."""
    if getattr(request, "limited", False):
        return render(request, "designations/verify_limited.html", status=429)
    found = verification_lookup(code)
    if found is None:
        return render(request, "designations/verify_unknown.html", {"code": code}, status=404)
    if isinstance(found, Designation):
        context = {"designation": found, "standing": designation_standing(found)}
    else:
        designations = found.designations.select_related("bureau__parent").order_by(
            "bureau__parent__code", "bureau__code"
        )
        context = {
            "publication": found,
            "rows": [(d, designation_standing(d)) for d in designations],
        }
    response = render(request, "designations/verify_code.html", context)
    # The standing changes with a revocation: never kept by a browser or a proxy.
    response["Cache-Control"] = "no-store"
    return response
