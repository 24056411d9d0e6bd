"""Designations: naming, publication, re-inspection, rectification, revocation.

Every change of a designation's state goes through ``designation_transition`` (its own small
table, like the application workflow) and leaves a ``DesignationEvent``.
"""

import calendar
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from applications.enums import Action, ApplicationState
from applications.models import Application, Cycle
from applications.workflow import application_transition
from organizations.enums import Role
from organizations.models import User
from organizations.selectors import has_role

from .enums import DesignationAction, DesignationState, PublicationKind, Reward
from .models import Designation, DesignationEvent, Publication

D = DesignationState
REINSPECTION_YEARS = 3
PUBLIC_CACHE_VERSION_KEY = "designations:public:version"


def add_years(day: date, years: int) -> date:
    """The same day ``years`` later, by the calendar (Civil Code art. 202): where that month
    has no such day, the last day of the month ends the period (29 Feb 2024 → 28 Feb 2027)."""
    year = day.year + years
    last = calendar.monthrange(year, day.month)[1]
    return day.replace(year=year, day=min(day.day, last))


def public_cache_bump() -> None:
    """Invalidate the cached public list (after a publication or a revocation)."""
    try:
        cache.incr(PUBLIC_CACHE_VERSION_KEY)
    except ValueError:
        cache.set(PUBLIC_CACHE_VERSION_KEY, 2, None)


def public_cache_version() -> int:
    return cache.get_or_set(PUBLIC_CACHE_VERSION_KEY, 1, None)


@dataclass(frozen=True)
class Move:
    sources: frozenset[str]
    target: str


MOVES: dict[str, Move] = {
    DesignationAction.REINSPECTION_DUE: Move(frozenset({D.ACTIVE}), D.REINSPECTION_DUE),
    DesignationAction.REINSPECTION_PASS: Move(frozenset({D.REINSPECTION_DUE}), D.ACTIVE),
    DesignationAction.RECTIFY: Move(frozenset({D.REINSPECTION_DUE}), D.RECTIFYING),
    DesignationAction.RECTIFICATION_PASS: Move(frozenset({D.RECTIFYING}), D.ACTIVE),
    DesignationAction.RECTIFICATION_FAIL: Move(frozenset({D.RECTIFYING}), D.REVOKED),
    DesignationAction.REVOKE: Move(
        frozenset({D.ACTIVE, D.REINSPECTION_DUE, D.RECTIFYING}), D.REVOKED
    ),
}


def designation_transition(
    *, designation: Designation, action: str, by: User | None, note: str = "", **changes
) -> Designation:
    """Move ``designation`` by ``action`` (``by`` None: the daily job), with field ``changes``.

    Row locked, state checked, event appended; the office alone acts, the job only marks
    re-inspections due. A revocation takes the bureau off the public list at once.
    """
    move = MOVES[action]
    if by is None and action != DesignationAction.REINSPECTION_DUE:
        raise PermissionDenied(_("Only the campaign office changes a designation."))
    if by is not None and not has_role(by, Role.CAMPAIGN_OFFICE):
        raise PermissionDenied(_("Only the campaign office changes a designation."))
    with transaction.atomic():
        locked = Designation.objects.select_for_update().get(pk=designation.pk)
        if locked.state not in move.sources:
            raise ValidationError(
                _("The designation is “%(state)s”: this is not possible now.")
                % {"state": locked.get_state_display()}
            )
        from_state = locked.state
        locked.state = move.target
        for field, value in changes.items():
            setattr(locked, field, value)
        locked.save()
        DesignationEvent.objects.create(
            designation=locked,
            actor=by,
            action=action,
            from_state=from_state,
            to_state=move.target,
            note=note,
        )
        if move.target == D.REVOKED:
            transaction.on_commit(public_cache_bump)
    return locked


def designation_number_next(*, year: int) -> str:
    """The next number of ``year`` by ``DESIGNATION_NUMBER_PATTERN`` ({year}, {seq})."""
    pattern = settings.DESIGNATION_NUMBER_PATTERN
    used = Designation.objects.filter(designated_on__year=year).count()
    return pattern.format(year=year, seq=used + 1)


@transaction.atomic
def designation_grant(
    *,
    application: Application,
    by: User,
    designated_on: date,
    reward: str,
    head_name: str = "",
    decision_reference: str = "",
) -> Designation:
    """Name an approved application's bureau a provincial model bureau.

    Records the number (unique, by the configured pattern), the date, the decision it rests on
    and the reward recommendation (collective merit, or personal merit for the named head);
    the application becomes ``designated``; the first re-inspection falls 3 years on.
    """
    if application.state != ApplicationState.APPROVED:
        raise ValidationError(
            _("Only an application approved by the Party committee is designated.")
        )
    if reward not in Reward.values:
        raise ValidationError({"reward": _("Choose the reward recommendation.")})
    if reward == Reward.PERSONAL and not head_name.strip():
        raise ValidationError({"head_name": _("Name the head recommended for personal merit.")})
    for _attempt in range(5):
        try:
            with transaction.atomic():
                designation = Designation.objects.create(
                    bureau=application.county,
                    number=designation_number_next(year=designated_on.year),
                    designated_on=designated_on,
                    application=application,
                    cycle=application.cycle,
                    decision_reference=decision_reference,
                    reward=reward,
                    head_name=head_name.strip() if reward == Reward.PERSONAL else "",
                    reinspection_due=add_years(designated_on, REINSPECTION_YEARS),
                )
            break
        except IntegrityError:
            continue  # another designation took the number: take the next
    else:
        raise ValidationError(_("No free designation number; check DESIGNATION_NUMBER_PATTERN."))
    DesignationEvent.objects.create(
        designation=designation,
        actor=by,
        action=DesignationAction.GRANT,
        to_state=D.ACTIVE,
        note=designation.number,
    )
    application_transition(
        application=application, action=Action.DESIGNATE, by=by, note=designation.number
    )
    return designation


@transaction.atomic
def publication_publish(
    *,
    cycle: Cycle,
    by: User,
    document_number: str,
    published_on: date,
    designations: list[Designation],
) -> Publication:
    """Publish designations as one act: the first publication of a cycle is its list, later
    ones are supplements. Only then do they appear on the public list."""
    if not has_role(by, Role.CAMPAIGN_OFFICE):
        raise PermissionDenied(_("Only the campaign office publishes."))
    if not designations:
        raise ValidationError(_("Choose the designations to publish."))
    if any(d.publication_id or d.cycle_id != cycle.pk for d in designations):
        raise ValidationError(_("Only unpublished designations of this cycle can be published."))
    if Publication.objects.filter(document_number=document_number).exists():
        raise ValidationError({"document_number": _("This document number is used already.")})
    kind = PublicationKind.SUPPLEMENT if cycle.publications.exists() else PublicationKind.LIST
    publication = Publication.objects.create(
        cycle=cycle,
        kind=kind,
        document_number=document_number,
        published_on=published_on,
        published_by=by,
    )
    Designation.objects.filter(pk__in=[d.pk for d in designations]).update(publication=publication)
    transaction.on_commit(public_cache_bump)
    return publication


def reinspection_record(
    *, designation: Designation, by: User, passed: bool, note: str, deadline: date | None = None
):
    """The re-inspection's result: passed (next one 3 years on) or rectification by a deadline."""
    if passed:
        return designation_transition(
            designation=designation,
            action=DesignationAction.REINSPECTION_PASS,
            by=by,
            note=note,
            reinspection_due=add_years(designation.reinspection_due, REINSPECTION_YEARS),
        )
    if deadline is None or deadline <= timezone.localdate():
        raise ValidationError({"deadline": _("Set a rectification deadline in the future.")})
    return designation_transition(
        designation=designation,
        action=DesignationAction.RECTIFY,
        by=by,
        note=note,
        rectification_deadline=deadline,
    )


def rectification_record(
    *, designation: Designation, by: User, passed: bool, note: str, decision: str = ""
):
    """After the rectification: the title is kept (next re-inspection 3 years after the one due)
    or revoked and the plaque removed."""
    if passed:
        return designation_transition(
            designation=designation,
            action=DesignationAction.RECTIFICATION_PASS,
            by=by,
            note=note,
            reinspection_due=add_years(designation.reinspection_due, REINSPECTION_YEARS),
            rectification_deadline=None,
        )
    today = timezone.localdate()
    return designation_transition(
        designation=designation,
        action=DesignationAction.RECTIFICATION_FAIL,
        by=by,
        note=note,
        revoked_on=today,
        revocation_ground="reinspection",
        revocation_decision=decision,
        plaque_removed_on=today,
    )


def designation_revoke(
    *,
    designation: Designation,
    by: User,
    ground: str,
    decision: str,
    revoked_on: date,
    plaque_removed_on: date,
    note: str,
) -> Designation:
    """Immediate revocation (plan §三(六)): the incident, the decision, the date, the plaque."""
    if ground not in ("major_error", "violation"):
        raise ValidationError({"ground": _("Choose the ground for the revocation.")})
    if not decision.strip() or not note.strip():
        raise ValidationError(_("Record the incident and the decision."))
    return designation_transition(
        designation=designation,
        action=DesignationAction.REVOKE,
        by=by,
        note=note,
        revoked_on=revoked_on,
        revocation_ground=ground,
        revocation_decision=decision.strip(),
        plaque_removed_on=plaque_removed_on,
    )


@transaction.atomic
def designation_record_historical(
    *, bureau, number: str, designated_on: date, document_number: str, published_on: date, by: User
) -> Designation:
    """Enter a title granted before the portal existed, from the paper register, with the
    notice that published it. Its re-inspection falls 3 years after the designation."""
    if not has_role(by, Role.CAMPAIGN_OFFICE):
        raise PermissionDenied(_("Only the campaign office keeps the register."))
    publication, _created = Publication.objects.get_or_create(
        document_number=document_number,
        defaults={"kind": PublicationKind.LIST, "published_on": published_on, "published_by": by},
    )
    designation = Designation.objects.create(
        bureau=bureau,
        number=number,
        designated_on=designated_on,
        reward=Reward.COLLECTIVE,
        reinspection_due=add_years(designated_on, REINSPECTION_YEARS),
        publication=publication,
        decision_reference=document_number,
    )
    DesignationEvent.objects.create(
        designation=designation,
        actor=by,
        action=DesignationAction.GRANT,
        to_state=D.ACTIVE,
        note=_("Entered from the paper register"),
    )
    transaction.on_commit(public_cache_bump)
    return designation
