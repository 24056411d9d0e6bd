"""The application form's one list of fields: the form, the service and completeness agree."""

import pytest

from applications.completeness import completeness_of
from applications.enums import Action, ApplicationState
from applications.forms import ApplicationFormForm
from applications.models import FORM_FIELDS, Application
from applications.services import application_update_form
from applications.workflow import TransitionError
from tests.states import nothing_moves

from .helpers import fire

pytestmark = pytest.mark.django_db


def _empty(name: str):
    return None if Application._meta.get_field(name).null else ""


def test_the_form_edits_exactly_the_listed_fields():
    assert list(ApplicationFormForm.base_fields) == list(FORM_FIELDS)


@pytest.mark.parametrize("name", FORM_FIELDS)
def test_clearing_a_listed_field_blocks_the_submission_on_it(complete_application, cast, name):
    assert completeness_of(complete_application).blocking == []
    application_update_form(
        application=complete_application, by=cast.county_a_applicant, data={name: _empty(name)}
    )
    complete_application.refresh_from_db()
    assert getattr(complete_application, name) == _empty(name)

    report = completeness_of(complete_application)
    label = str(Application._meta.get_field(name).verbose_name)
    assert report.form_missing == [label]
    assert len(report.blocking) == 1
    assert label in report.blocking[0]

    with nothing_moves(), pytest.raises(TransitionError) as error:
        fire(complete_application, Action.SUBMIT)
    assert any(label in message for message in error.value.messages)
    complete_application.refresh_from_db()
    assert complete_application.state == ApplicationState.DRAFT


def test_the_service_saves_only_the_listed_fields(application, cast):
    application_update_form(
        application=application,
        by=cast.county_a_applicant,
        data={"head_name": "周正言", "state": ApplicationState.SUBMITTED, "round": 9},
    )
    application.refresh_from_db()
    assert application.head_name == "周正言"
    assert (application.state, application.round) == (ApplicationState.DRAFT, 1)
