"""The public notice (公示): the office's windows, objections and holiday calendar, and the
public pages (the windows, the objection form, the look-up of a result)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods
from django_ratelimit.core import is_ratelimited

from applications.evidence import private_file_response
from applications.workflow import TransitionError
from core.forms import add_errors
from core.net import client_ip

from . import selectors, services
from .forms import (
    CalendarFormSent,
    CalendarImportForm,
    CalendarYearForm,
    NoticeOpenForm,
    ObjectionForm,
    ObjectionHandleForm,
    ObjectionLookupForm,
)
from .models import HolidayCalendarYear, Objection, PublicNotice
from .permissions import can_manage_notices, can_view_notices


def require_view(request: HttpRequest) -> None:
    if not can_view_notices(request.user):
        raise PermissionDenied(_("The public notice is the campaign office's."))


def require_manage(request: HttpRequest) -> None:
    if not can_manage_notices(request.user):
        raise PermissionDenied(_("Only the campaign office acts on public notices."))


# The office's pages --------------------------------------------------------------------------


@login_required
@require_GET
def notice_list(request: HttpRequest) -> HttpResponse:
    """Every window with its counts of objections (office only)."""
    require_view(request)
    rows = selectors.notices_for_office()
    return render(
        request,
        "notices/notice_list.html",
        {
            "notices": rows,
            "waiting": selectors.objections_waiting_count(),
            "now": timezone.now(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def notice_open(request: HttpRequest) -> HttpResponse:
    """Open a window for approved bureaus: start, working days, contact office and telephone."""
    require_view(request)
    form = NoticeOpenForm(request.POST or None)
    if request.method == "POST":
        require_manage(request)
        if form.is_valid():
            data = form.cleaned_data
            try:
                notice = services.public_notice_open(
                    cycle=data["applications"][0].cycle,
                    applications=data["applications"],
                    starts_on=data["starts_on"],
                    working_days=data["working_days"],
                    contact_office=data["contact_office"],
                    contact_phone=data["contact_phone"],
                    by=request.user,
                    ip=client_ip(request),
                )
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(
                    request,
                    _("The public notice is open until the end of %(end)s.")
                    % {"end": notice.closes_on.isoformat()},
                )
                return redirect("notices:detail", pk=notice.pk)
    return render(
        request,
        "notices/notice_open.html",
        {"form": form},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_GET
def notice_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One window: its bureaus, its objections (with who objected) and its history."""
    require_view(request)
    notice = get_object_or_404(PublicNotice.objects.select_related("cycle", "opened_by"), pk=pk)
    return render(
        request,
        "notices/notice_detail.html",
        {
            "notice": notice,
            "bureaus": notice.applications.select_related("county__parent"),
            "objections": selectors.notice_objections(notice),
            "events": notice.events.select_related("actor", "objection"),
            "is_open": selectors.notice_is_open(notice),
            "is_closed": selectors.notice_is_closed(notice),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def objection_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One objection with its facts, and the office's handling of it."""
    require_view(request)
    objection = get_object_or_404(
        Objection.objects.select_related("notice", "application__county", "handled_by"), pk=pk
    )
    form = ObjectionHandleForm(request.POST or None)
    if request.method == "POST":
        require_manage(request)
        if form.is_valid():
            try:
                services.objection_handle(
                    objection=objection,
                    outcome=form.cleaned_data["outcome"],
                    note=form.cleaned_data["note"],
                    by=request.user,
                    ip=client_ip(request),
                )
            except (ValidationError, TransitionError) as error:
                add_errors(form, error)
            else:
                messages.success(request, _("Recorded."))
                return redirect("notices:detail", pk=objection.notice_id)
    return render(
        request,
        "notices/objection_detail.html",
        {"objection": objection, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_GET
def objection_attachment(request: HttpRequest, pk: int) -> HttpResponse:
    require_view(request)
    objection = get_object_or_404(Objection, pk=pk)
    if not objection.has_attachment:
        raise Http404
    return private_file_response(objection)


@login_required
@require_GET
def calendar_list(request: HttpRequest) -> HttpResponse:
    """The years the holiday calendar has, with their source."""
    require_view(request)
    years = selectors.calendar_years()
    latest = years.first()
    return render(
        request,
        "notices/calendar_list.html",
        {"years": years, "next_year": (latest.year + 1) if latest else timezone.localdate().year},
    )


@login_required
@require_http_methods(["GET", "POST"])
def calendar_year(request: HttpRequest, year: int) -> HttpResponse:
    """Enter a year's schedule from the State Council's notice, or import it from a file."""
    require_view(request)
    if not 2000 <= year <= 2100:
        raise Http404
    calendar = HolidayCalendarYear.objects.filter(year=year).first()
    initial = {}
    if calendar is not None:
        initial = {
            "notice_reference": calendar.notice_reference,
            "schedule": "\n".join(
                f"{d.date.isoformat()} {d.kind} {d.name}".strip() for d in calendar.days.all()
            ),
        }
    entry = CalendarYearForm(initial=initial, prefix="entry")
    upload = CalendarImportForm(prefix="import")
    if request.method == "POST":
        require_manage(request)
        ip = client_ip(request)
        which = CalendarFormSent(request.POST)
        if not which.is_valid():
            # Neither of the page's two forms: nothing is saved, both are shown again.
            for error in which.errors["form"]:
                messages.error(request, error)
            sent = which
        elif which.cleaned_data["form"] == "import":
            upload = CalendarImportForm(request.POST, request.FILES, prefix="import")
            sent = upload
            if upload.is_valid():
                try:
                    services.calendar_year_import(
                        year=year,
                        content=upload.cleaned_data["file"].read(),
                        by=request.user,
                        notice_reference=upload.cleaned_data["notice_reference"],
                        ip=ip,
                    )
                except ValidationError as error:
                    add_errors(upload, error)
        else:
            entry = CalendarYearForm(request.POST, prefix="entry")
            sent = entry
            if entry.is_valid():
                try:
                    lines = services.schedule_parse(entry.cleaned_data["schedule"], year=year)
                    services.calendar_year_enter(
                        year=year,
                        lines=lines,
                        by=request.user,
                        notice_reference=entry.cleaned_data["notice_reference"],
                        ip=ip,
                    )
                except ValidationError as error:
                    add_errors(entry, error)
        if not sent.errors:
            messages.success(request, _("The %(year)s schedule is saved.") % {"year": year})
            return redirect("notices:calendar_year", year=year)
    return render(
        request,
        "notices/calendar_year.html",
        {"year": year, "calendar": calendar, "entry": entry, "upload": upload},
        status=400 if request.method == "POST" else 200,
    )


# The public pages (no log-in) ----------------------------------------------------------------


@require_GET
def public_notices(request: HttpRequest) -> HttpResponse:
    """The windows open now and past ones, with their bureaus, contact and closing day. No
    objection is ever shown here."""
    now = timezone.now()
    rows = list(selectors.notices_public())
    return render(
        request,
        "notices/public_notices.html",
        {
            "open_notices": [n for n in rows if selectors.notice_is_open(n, now)],
            "past_notices": [n for n in rows if selectors.notice_is_closed(n, now)],
        },
    )


def _address_key(group: str, request: HttpRequest) -> str:
    return client_ip(request) or ""


def _limited(request: HttpRequest, form: ObjectionForm) -> bool:
    """Count this POST against the address's limit and, when the form's telephone field
    parsed, that telephone's (its digits: the same number however it was typed)."""
    by_address = is_ratelimited(
        request,
        group="notice-objection-address",
        key=_address_key,
        rate=settings.OBJECTION_RATE_ADDRESS,
        method="POST",
        increment=True,
    )
    form.is_valid()  # the fields that parse are in cleaned_data, whatever the others
    digits = "".join(c for c in form.cleaned_data.get("phone", "") if c.isdigit())
    by_phone = bool(digits) and is_ratelimited(
        request,
        group="notice-objection-phone",
        key=lambda _group, _request: digits,
        rate=settings.OBJECTION_RATE_PHONE,
        method="POST",
        increment=True,
    )
    return by_address or by_phone


@require_http_methods(["GET", "POST"])
def objection_submit(request: HttpRequest, pk: int) -> HttpResponse:
    """The objection form of an open window; the reference is shown once, on success."""
    notice = get_object_or_404(PublicNotice, pk=pk, starts_on__lte=timezone.localdate())
    form = ObjectionForm(request.POST or None, request.FILES or None, notice=notice)
    status = 200
    if request.method == "POST":
        status = 400
        if _limited(request, form):
            # What was typed stays, with the field errors.
            form.add_error(
                None,
                _("Too many objections from this address or telephone; try again later."),
            )
            status = 429
        elif form.is_valid():
            data = form.cleaned_data
            try:
                objection = services.objection_submit(
                    notice=notice,
                    application=data["application"],
                    name=data["name"],
                    phone=data["phone"],
                    facts=data["facts"],
                    attachment=data["attachment"],
                    ip=client_ip(request),
                )
            except ValidationError as error:
                add_errors(form, error)
            else:
                return render(request, "notices/objection_done.html", {"objection": objection})
    return render(
        request,
        "notices/objection_form.html",
        {"notice": notice, "form": form, "is_open": selectors.notice_is_open(notice)},
        status=status,
    )


@require_http_methods(["GET", "POST"])
def objection_lookup(request: HttpRequest) -> HttpResponse:
    """The handling result of an objection, by its reference: whether it was handled, how and
    why. Not its content (nor anyone's name)."""
    form = ObjectionLookupForm(request.POST or None)
    found, status = None, 200
    if request.method == "POST":
        if is_ratelimited(
            request,
            group="notice-objection-lookup",
            key=_address_key,
            rate=settings.OBJECTION_LOOKUP_RATE,
            method="POST",
            increment=True,
        ):
            form.is_valid()
            form.add_error(None, _("Too many look-ups from this address; try again later."))
            status = 429
        elif form.is_valid():
            found = selectors.objection_lookup(form.cleaned_data["reference"])
            if found is None:
                form.add_error("reference", _("No objection has this reference number."))
                status = 404
    return render(
        request,
        "notices/objection_lookup.html",
        {"form": form, "found": found},
        status=status,
    )
