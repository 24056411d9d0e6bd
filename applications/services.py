"""Writes on cycles and applications; states change only in ``workflow.application_transition``.

Each service asks its predicate (``permissions``) about ``by`` before it changes anything and
raises ``PermissionDenied`` when the answer is no."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.enums import AuditAction
from audit.services import audit_act, audit_record
from core.actors import SystemActor
from core.hooks import hooks
from organizations.enums import BureauLevel
from organizations.models import Bureau, User
from organizations.selectors import in_province
from organizations.services import outside_province_message
from standards.models import CriteriaVersion, Indicator, Item
from standards.services import criteria_version_freeze

from .enums import Action, ApplicationState, CycleState
from .evidence import discard, store_upload
from .hooks import CREATE_GUARDS
from .models import (
    FORM_FIELDS,
    Application,
    ApplicationEvent,
    CountyDeadline,
    Cycle,
    Evidence,
    IndicatorFigure,
    SelfAssessment,
)
from .permissions import (
    can_create_application,
    can_edit_application,
    can_manage_cycles,
    can_set_county_deadline,
    can_upload_form_scan,
)
from .workflow import TransitionError


def default_city_deadline(year: int) -> date:
    """31 July of ``year`` (plan §三(三): 每年7月底前), until the end of the day in Beijing."""
    return date(year, 7, 31)


def cycle_create(
    *,
    year: int,
    criteria_version: CriteriaVersion,
    city_deadline: date | None = None,
    parameters: dict | None = None,
    by: User | SystemActor,
    ip: str | None = None,
) -> Cycle:
    """A new cycle in draft; the deadline defaults to 31 July of its year. The
    campaign office's, a loader's or the demo's (``can_manage_cycles``)."""
    _ensure_cycle_manager(by)
    if Cycle.objects.filter(year=year).exists():
        raise ValidationError(
            {"year": _("There is already a cycle for %(year)s.") % {"year": year}}
        )
    cycle = Cycle(
        year=year,
        criteria_version=criteria_version,
        city_deadline=city_deadline or default_city_deadline(year),
        parameters=parameters or {},
    )
    cycle.full_clean()
    cycle.save()
    audit_record(
        action=AuditAction.CYCLE_CREATE,
        actor=by,
        obj=cycle,
        ip=ip,
        details={
            "criteria_version": criteria_version.name,
            "city_deadline": cycle.city_deadline,
            "parameters": cycle.parameters,
        },
    )
    return cycle


def _ensure_cycle_manager(by: User | SystemActor) -> None:
    if not can_manage_cycles(by):
        raise PermissionDenied(_("Only the campaign office manages cycles."))


@transaction.atomic
def cycle_open(*, cycle: Cycle, by: User | SystemActor, ip: str | None = None) -> Cycle:
    """Open a draft cycle; its criteria version freezes. Only one cycle is open at a time."""
    _ensure_cycle_manager(by)
    cycle = Cycle.objects.select_for_update().get(pk=cycle.pk)
    if cycle.state != CycleState.DRAFT:
        raise ValidationError(_("Only a cycle being prepared can be opened."))
    if Cycle.objects.filter(state=CycleState.OPEN).exclude(pk=cycle.pk).exists():
        raise ValidationError(_("Another cycle is open; close it first."))
    # One act, one entry: the opening's, with the criteria frozen (the first time) as its step.
    with audit_act(action=AuditAction.CYCLE_OPEN, actor=by, obj=cycle, ip=ip):
        criteria_version_freeze(version=cycle.criteria_version)
        cycle.state, cycle.opened_at = CycleState.OPEN, timezone.now()
        cycle.save(update_fields=["state", "opened_at"])
    return cycle


@transaction.atomic
def cycle_close(*, cycle: Cycle, by: User | SystemActor, ip: str | None = None) -> Cycle:
    _ensure_cycle_manager(by)
    cycle = Cycle.objects.select_for_update().get(pk=cycle.pk)
    if cycle.state != CycleState.OPEN:
        raise ValidationError(_("Only an open cycle can be closed."))
    cycle.state, cycle.closed_at = CycleState.CLOSED, timezone.now()
    cycle.save(update_fields=["state", "closed_at"])
    audit_record(action=AuditAction.CYCLE_CLOSE, actor=by, obj=cycle, ip=ip)
    return cycle


@transaction.atomic
def cycle_set_parameters(
    *, cycle: Cycle, parameters: dict, by: User | SystemActor, ip: str | None = None
) -> Cycle:
    """Figures the office enters for the cycle, such as the provincial legal aid average."""
    _ensure_cycle_manager(by)
    old = dict(cycle.parameters)
    cycle.parameters = {**cycle.parameters, **parameters}
    cycle.save(update_fields=["parameters"])
    audit_record(
        action=AuditAction.CYCLE_PARAMETERS_SET,
        actor=by,
        obj=cycle,
        ip=ip,
        details={"old": old, "new": cycle.parameters},
    )
    return cycle


@transaction.atomic
def county_deadline_set(
    *, cycle: Cycle, city: Bureau, deadline: date, by: User, ip: str | None = None
) -> CountyDeadline:
    """A city's earlier deadline for its counties; it may not fall after the cycle's. The head
    of ``city`` only (``PermissionDenied``)."""
    if not can_set_county_deadline(by, cycle, city):
        raise PermissionDenied(_("Only a city head sets the deadline for its counties."))
    if city.level != BureauLevel.CITY:
        raise ValidationError(_("Only a city bureau sets a deadline for its counties."))
    if deadline > cycle.city_deadline:
        raise ValidationError(
            {"deadline": _("The county deadline must not be later than the city deadline.")}
        )
    old = CountyDeadline.objects.filter(cycle=cycle, city=city).values_list("deadline", flat=True)
    details = {"city": city.code, "old": old.first(), "new": deadline}
    record, _created = CountyDeadline.objects.update_or_create(
        cycle=cycle, city=city, defaults={"deadline": deadline, "set_by": by}
    )
    audit_record(
        action=AuditAction.COUNTY_DEADLINE_SET, actor=by, obj=cycle, ip=ip, details=details
    )
    return record


@transaction.atomic
def application_create(
    *, cycle: Cycle, county: Bureau, by: User, ip: str | None = None
) -> Application:
    """Start the county's application for ``cycle`` (one per county per cycle).

    Refused (``PermissionDenied``) to anyone but the county's applicant or head; refused when
    the cycle is not open, when the county holds the title already, or when an application
    exists. Writes the ``create`` event.
    """
    if not can_create_application(by, county):
        raise PermissionDenied(_("Only the county's own bureau applies."))
    cycle = Cycle.objects.get(pk=cycle.pk)
    reasons = []
    if cycle.state != CycleState.OPEN:
        reasons.append(_("The %(year)s cycle is not open.") % {"year": cycle.year})
    if county.level != BureauLevel.COUNTY or not county.is_active:
        reasons.append(_("Only an active county bureau applies."))
    elif not in_province(county):
        reasons.append(outside_province_message(county))
    reasons += [reason for guard in hooks.all(CREATE_GUARDS) if (reason := guard(county))]
    if reasons:
        raise TransitionError(reasons)
    try:
        with transaction.atomic():
            application = Application.objects.create(cycle=cycle, county=county, created_by=by)
    except IntegrityError:
        raise TransitionError(
            [_("Your bureau already has an application for %(year)s.") % {"year": cycle.year}]
        ) from None
    ApplicationEvent.objects.create(
        application=application,
        actor=by,
        action=Action.CREATE,
        from_state="",
        to_state=ApplicationState.DRAFT,
        ip=ip,
    )
    return application


def _ensure_editable(application: Application, user: User) -> None:
    if not can_edit_application(user, application):
        raise PermissionDenied(_("This application cannot be changed now."))


def application_update_form(*, application: Application, by: User, data: dict) -> Application:
    """Save the bureau facts and summary (any subset of ``FORM_FIELDS``), as the user types."""
    _ensure_editable(application, by)
    fields = [name for name in FORM_FIELDS if name in data]
    for name in fields:
        setattr(application, name, data[name])
    if fields:
        application.save(update_fields=[*fields, "updated_at"])
    return application


def assessment_save(
    *, application: Application, item: Item, by: User, answer: str, explanation: str
) -> SelfAssessment:
    """Save the self-assessment of one item."""
    _ensure_editable(application, by)
    if item.section.version_id != application.cycle.criteria_version_id:
        raise ValidationError(_("This item is not part of the cycle's criteria."))
    assessment, _created = SelfAssessment.objects.update_or_create(
        application=application, item=item, defaults={"answer": answer, "explanation": explanation}
    )
    return assessment


def figure_save(
    *,
    application: Application,
    indicator: Indicator,
    by: User,
    numerator: str = "",
    denominator: str = "",
    value: str = "",
) -> IndicatorFigure:
    """Keep the figures exactly as typed; the evaluation says whether they make sense."""
    _ensure_editable(application, by)
    if indicator.item.section.version_id != application.cycle.criteria_version_id:
        raise ValidationError(_("This indicator is not part of the cycle's criteria."))
    figure, _created = IndicatorFigure.objects.update_or_create(
        application=application,
        indicator=indicator,
        defaults={
            "numerator": numerator[:40],
            "denominator": denominator[:40],
            "value": value[:40],
        },
    )
    return figure


def evidence_add(
    *,
    application: Application,
    item: Item | None,
    upload,
    by: User,
    replaces: Evidence | None = None,
) -> Evidence:
    """Check and store an uploaded file as evidence of ``item`` (None: the stamped form).

    The file is stored first and removed again if the database write fails: a failed upload
    leaves neither a row nor a file. A new version of a submitted file supersedes it; the old
    one stays in the history.
    """
    if item is None:
        # The stamped form: also after submission, until the city forwards.
        if not can_upload_form_scan(by, application):
            raise PermissionDenied(_("The stamped form can no longer be changed."))
    else:
        _ensure_editable(application, by)
    if item is not None and item.section.version_id != application.cycle.criteria_version_id:
        raise ValidationError(_("This item is not part of the cycle's criteria."))
    stored = store_upload(upload)
    try:
        with transaction.atomic():
            evidence = Evidence.objects.create(
                application=application,
                item=item,
                **stored.fields(),
                round=application.round,
                replaces=replaces,
                uploaded_by=by,
            )
            if replaces is not None:
                _evidence_retire(replaces)
    except BaseException:
        discard(stored.stored_name)
        raise
    return evidence


def _evidence_retire(evidence: Evidence) -> None:
    evidence.removed_at = timezone.now()
    evidence.save(update_fields=["removed_at"])


@transaction.atomic
def evidence_remove(*, evidence: Evidence, by: User) -> None:
    """Remove a file: deleted if never submitted, otherwise kept in the history as removed."""
    _ensure_editable(evidence.application, by)
    if evidence.removed_at is not None:
        return
    if evidence.frozen:
        _evidence_retire(evidence)
        return
    stored_name = evidence.stored_name
    evidence.delete()
    transaction.on_commit(lambda: discard(stored_name))
