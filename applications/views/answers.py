"""Saves as the county types (htmx, or the plain form without script): self-assessment, figures."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from applications import services
from applications.forms import AssessmentForm, FigureForm
from applications.selectors import application_for
from standards.enums import EvaluationStatus
from standards.evaluation import Evaluation, indicator_evaluate
from standards.models import Indicator, Item

from .common import require_editable


@login_required
@require_POST
def assessment_save(request: HttpRequest, pk: int, item_id: int) -> HttpResponse:
    application = application_for(user=request.user, pk=pk)
    require_editable(request, application)
    item = get_object_or_404(
        Item.objects.select_related("section"),
        pk=item_id,
        section__version=application.cycle.criteria_version_id,
    )
    form = AssessmentForm(request.POST)
    if form.is_valid():
        services.assessment_save(
            application=application,
            item=item,
            by=request.user,
            answer=form.cleaned_data["answer"],
            explanation=form.cleaned_data["explanation"],
        )
    if request.htmx:
        return render(
            request,
            "applications/partials/autosave_status.html",
            {"form": form, "saved_at": timezone.localtime()},
            status=200 if form.is_valid() else 400,
        )
    if form.is_valid():
        messages.success(request, _("Item %(code)s saved.") % {"code": item.code})
    else:
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
    return redirect(
        reverse("applications:section", args=[application.pk, item.section.number])
        + f"#item-{item.code}"
    )


@login_required
@require_POST
def figure_save(request: HttpRequest, pk: int, indicator_id: int) -> HttpResponse:
    """Save an indicator's figures as typed and answer with the check (htmx fragment)."""
    application = application_for(user=request.user, pk=pk)
    require_editable(request, application)
    indicator = get_object_or_404(
        Indicator.objects.select_related("item__section"),
        pk=indicator_id,
        item__section__version=application.cycle.criteria_version_id,
    )
    form = FigureForm(request.POST)
    back = (
        reverse("applications:section", args=[application.pk, indicator.item.section.number])
        + f"#item-{indicator.item.code}"
    )
    if not form.is_valid():
        # Too long to keep as typed: nothing is saved, and the check says why.
        reason = " ".join(e for errs in form.errors.values() for e in errs)
        if request.htmx:
            return render(
                request,
                "applications/partials/indicator_result.html",
                {
                    "indicator": indicator,
                    "evaluation": Evaluation(EvaluationStatus.INVALID, None, reason),
                },
                status=400,
            )
        messages.error(request, f"{indicator.code} {indicator.name}: {reason}")
        return redirect(back)
    figures = {k: form.cleaned_data[k].strip() for k in ("numerator", "denominator", "value")}
    services.figure_save(application=application, indicator=indicator, by=request.user, **figures)
    evaluation = indicator_evaluate(indicator, parameters=application.cycle.parameters, **figures)
    if request.htmx:
        return render(
            request,
            "applications/partials/indicator_result.html",
            {"indicator": indicator, "evaluation": evaluation},
        )
    messages.info(request, f"{indicator.code} {indicator.name}: {evaluation.reason}")
    return redirect(back)
