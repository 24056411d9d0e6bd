"""What the county hears of its title: the publication, and each later move (re-inspection,
rectification, revocation). Inbox messages with their mail (``organizations.notify``), in
the caller's transaction; the key makes each one once per user."""

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from organizations.enums import Role
from organizations.notifications import notify
from organizations.selectors import users_with_role

from .enums import DesignationAction
from .models import Designation, DesignationEvent, Publication

COUNTY_ROLES = (Role.COUNTY_APPLICANT, Role.COUNTY_HEAD)


def _county_page(designation: Designation) -> str:
    """The county's own page of its title: its application, where the certificate is."""
    if designation.application_id is None:
        return ""
    return reverse("applications:detail", args=[designation.application_id])


def designation_event_notify(*, designation: Designation, event: DesignationEvent) -> int:
    """The county hears of a move of its title, with the note and the dates it sets."""
    with translation.override(settings.LANGUAGE_CODE):
        action = DesignationAction(event.action).label
        subject = _("[Model bureau portal] %(bureau)s: %(action)s") % {
            "bureau": designation.bureau.name,
            "action": action,
        }
        lines = [
            _("The title of %(bureau)s (%(number)s): %(action)s. It is now “%(state)s”.")
            % {
                "bureau": designation.bureau.name,
                "number": designation.number,
                "action": action,
                "state": designation.get_state_display(),
            }
        ]
        if designation.rectification_deadline and event.action == DesignationAction.RECTIFY:
            lines.append(
                _("Rectification deadline: %(date)s")
                % {"date": designation.rectification_deadline.strftime("%Y-%m-%d")}
            )
        if event.action == DesignationAction.REINSPECTION_DUE and designation.reinspection_due:
            lines.append(
                _("Re-inspection due: %(date)s")
                % {"date": designation.reinspection_due.strftime("%Y-%m-%d")}
            )
        if event.note:
            lines.append(_("Note: %(note)s") % {"note": event.note})
    created = notify(
        users=users_with_role(bureau=designation.bureau, roles=COUNTY_ROLES),
        key=f"designation-event:{event.pk}",
        subject=subject,
        body="\n".join(lines),
        url=_county_page(designation),
    )
    return len(created)


def publication_notify(*, publication: Publication, designations: list[Designation]) -> int:
    """Each published bureau hears of it: the document, its number, where the certificate is."""
    count = 0
    for designation in designations:
        with translation.override(settings.LANGUAGE_CODE):
            subject = _("[Model bureau portal] %(bureau)s: published as a model bureau") % {
                "bureau": designation.bureau.name
            }
            body = _(
                "%(bureau)s is published as a provincial model bureau in %(document)s of "
                "%(date)s. Designation number: %(number)s. The certificate can be downloaded "
                "from the application's page."
            ) % {
                "bureau": designation.bureau.name,
                "document": publication.document_number,
                "date": publication.published_on.strftime("%Y-%m-%d"),
                "number": designation.number,
            }
        count += len(
            notify(
                users=users_with_role(bureau=designation.bureau, roles=COUNTY_ROLES),
                key=f"publication:{publication.pk}:{designation.pk}",
                subject=subject,
                body=body,
                url=_county_page(designation),
            )
        )
    return count
