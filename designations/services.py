"""Designations: naming, publication, revocation, the paper register.

Every change of a designation's state goes through ``workflow.designation_transition`` (its
own table, like the application workflow) and leaves a ``DesignationEvent``. A certificate
batch's lifecycle (pending → running → done or failed) is kept here, in one place.
"""

from collections.abc import Iterable
from datetime import date

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from applications.enums import Action, ApplicationState
from applications.models import Application, Cycle
from applications.workflow import application_transition
from audit.enums import AuditAction
from audit.services import audit_act, audit_record
from evaluation.decisions import decision_in_force
from notices.guards import naming_blocked
from organizations.models import Bureau, User

from .caching import public_cache_bump
from .enums import (
    HOLDING_STATES,
    DesignationAction,
    DesignationState,
    PublicationKind,
    RevocationGround,
    Reward,
)
from .hooks import designation_revoked
from .models import Designation, Publication
from .notifications import publication_notify
from .permissions import can_manage_designations
from .workflow import (
    designation_event_record,
    designation_transition,
    reinspection_due_after,
)

D = DesignationState
A = DesignationAction
# How many numbers are looked at per query, and how many such windows before giving up.
NUMBER_WINDOW = 20
NUMBER_WINDOWS = 10
# Retries of an insert whose number another grant took in the meantime.
NUMBER_ATTEMPTS = 5


def designation_number_next(*, year: int, skip: Iterable[str] = ()) -> str:
    """The next free number of ``year`` by ``DESIGNATION_NUMBER_PATTERN`` ({year}, {seq}).

    Starts at the year's count of designations plus one and skips every number already taken
    (titles entered from the paper register keep their own numbers) and those in ``skip``.
    """
    pattern = settings.DESIGNATION_NUMBER_PATTERN
    skipped = set(skip)
    start = Designation.objects.filter(designated_on__year=year).count() + 1
    for window in range(NUMBER_WINDOWS):
        first = start + window * NUMBER_WINDOW
        candidates = [
            pattern.format(year=year, seq=seq) for seq in range(first, first + NUMBER_WINDOW)
        ]
        used = set(
            Designation.objects.filter(number__in=candidates).values_list("number", flat=True)
        )
        for number in candidates:
            if number not in used and number not in skipped:
                return number
    raise ValidationError(_("No free designation number; check DESIGNATION_NUMBER_PATTERN."))


def _already_designated(application: Application) -> ValidationError:
    return ValidationError(
        _("%(bureau)s is already designated for this application.")
        % {"bureau": application.county.name}
    )


@transaction.atomic
def designation_grant(
    *,
    application: Application,
    by: User,
    designated_on: date,
    reward: str,
    head_name: str = "",
    ip: str | None = None,
) -> Designation:
    """Name an approved application's bureau a provincial model bureau.

    Records the number (the next free one of the year by the configured pattern), the date,
    the decision it rests on (the number of the meeting whose decision is in force, read here,
    never taken from the caller) and the reward recommendation (collective merit, or personal
    merit for the named head); the application becomes ``designated``; the first re-inspection falls
    3 years on. Refused while the bureau's public notice (公示) is open or an objection about
    it waits (``notices.guards.naming_blocked``). The application's row is locked first: a second
    grant of the same application waits for the first and is refused as already designated.
    A number taken by a concurrent grant of another application is retried with the next free
    one.
    """
    if not can_manage_designations(by):
        raise PermissionDenied(_("Only the campaign office designates."))
    locked = (
        Application.objects.select_for_update(of=("self",))
        .select_related("county", "cycle")
        .get(pk=application.pk)
    )
    if Designation.objects.filter(application=locked).exists():
        raise _already_designated(locked)
    if locked.state != ApplicationState.APPROVED:
        raise ValidationError(
            _("Only an application approved by the Party committee is designated.")
        )
    if reward not in Reward.values:
        raise ValidationError({"reward": _("Choose the reward recommendation.")})
    if blocked := naming_blocked(locked):
        raise ValidationError(blocked)
    if reward == Reward.PERSONAL and not head_name.strip():
        raise ValidationError({"head_name": _("Name the head recommended for personal merit.")})
    decision = decision_in_force(locked)
    decision_reference = decision.meeting.number if decision else ""
    taken: set[str] = set()
    for _attempt in range(NUMBER_ATTEMPTS):
        number = designation_number_next(year=designated_on.year, skip=taken)
        try:
            with transaction.atomic():
                designation = Designation.objects.create(
                    bureau=locked.county,
                    number=number,
                    designated_on=designated_on,
                    application=locked,
                    cycle=locked.cycle,
                    decision_reference=decision_reference,
                    reward=reward,
                    head_name=head_name.strip() if reward == Reward.PERSONAL else "",
                    reinspection_due=reinspection_due_after(designated_on),
                )
            break
        except IntegrityError:
            if Designation.objects.filter(application=locked).exists():
                raise _already_designated(locked) from None
            # Another grant took the number between the look-up and the insert.
            taken.add(number)
    else:
        raise ValidationError(_("No free designation number; check DESIGNATION_NUMBER_PATTERN."))
    # One act, one entry: the grant's, with the application's move as its step.
    with audit_act(action=AuditAction.DESIGNATION_GRANT, actor=by, ip=ip):
        designation_event_record(
            designation=designation, by=by, action=A.GRANT, to_state=D.ACTIVE, note=number, ip=ip
        )
        application_transition(
            application=locked, action=Action.DESIGNATE, by=by, note=designation.number, ip=ip
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
    ip: str | None = None,
) -> Publication:
    """Publish designations as one act: the first publication of a cycle is its list, later
    ones are supplements. Only then do they appear on the public list (cache bumped after
    commit)."""
    if not can_manage_designations(by):
        raise PermissionDenied(_("Only the campaign office publishes."))
    if not designations:
        raise ValidationError({"designations": _("Choose the designations to publish.")})
    chosen = list(
        Designation.objects.select_for_update().filter(pk__in=[d.pk for d in designations])
    )
    if any(
        d.publication_id or d.cycle_id != cycle.pk or d.state not in HOLDING_STATES for d in chosen
    ):
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
    Designation.objects.filter(pk__in=[d.pk for d in chosen]).update(publication=publication)
    publication_notify(publication=publication, designations=chosen)
    audit_record(
        action=AuditAction.PUBLICATION_PUBLISH,
        actor=by,
        obj=publication,
        ip=ip,
        details={"kind": kind, "designations": [d.number for d in chosen]},
    )
    transaction.on_commit(public_cache_bump)
    return publication


def designation_revoke(
    *,
    designation: Designation,
    by: User,
    ground: str,
    decision: str,
    revoked_on: date | None,
    plaque_removed_on: date | None,
    note: str,
    ip: str | None = None,
) -> Designation:
    """Immediate revocation (plan §三(六)): the incident (``note``), the ground (a major error,
    or a violation of law or discipline, with bad social impact), the decision, the dates of
    the revocation and of the plaque's removal. The campaign office's (``PermissionDenied``).
    A rectification under way ends in the same transaction (``hooks.DESIGNATION_REVOKED``:
    failed, with its history row)."""
    if not can_manage_designations(by):
        raise PermissionDenied(_("Only the campaign office revokes a title."))
    with transaction.atomic():
        revoked = designation_transition(
            designation=designation,
            action=A.REVOKE,
            by=by,
            note=note,
            ground=RevocationGround(ground) if ground in RevocationGround.values else None,
            decision=decision,
            revoked_on=revoked_on,
            plaque_removed_on=plaque_removed_on,
            ip=ip,
        )
        # A rectification under way ends with the title, through its own transition
        # (reinspections, by the hook: this app does not import the one above it).
        designation_revoked(designation=revoked, by=by, ip=ip)
    return revoked


@transaction.atomic
def designation_record_historical(
    *,
    bureau: Bureau,
    number: str,
    designated_on: date,
    document_number: str,
    published_on: date,
    by: User,
    ip: str | None = None,
) -> Designation:
    """Enter a title granted before the portal existed, from the paper register, with the
    notice that published it. Its re-inspection falls one period
    (``REINSPECTION_PERIOD_YEARS``) after the designation."""
    if not can_manage_designations(by):
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
        reinspection_due=reinspection_due_after(designated_on),
        publication=publication,
        decision_reference=document_number,
    )
    designation_event_record(
        designation=designation,
        by=by,
        action=A.GRANT,
        to_state=D.ACTIVE,
        note=_("Entered from the paper register"),
        ip=ip,
    )
    transaction.on_commit(public_cache_bump)
    return designation
