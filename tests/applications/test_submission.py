"""Starting an application and withdrawing it: the forms, the answers, and what refusals leave."""

import re

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from applications.enums import Action, ApplicationState
from applications.models import Application, ApplicationEvent
from applications.services import cycle_close
from core.actors import SystemActor
from tests.states import nothing_moves

from .helpers import reach

pytestmark = pytest.mark.django_db


def _messages(response) -> str:
    return " ".join(str(m) for m in get_messages(response.wsgi_request))


def _withdraw(client, application, **data):
    return client.post(reverse("applications:withdraw", args=[application.pk]), data)


def test_the_head_withdraws_with_a_reason(client, cast, application):
    client.force_login(cast.county_a_head)
    page = client.get(reverse("applications:detail", args=[application.pk])).content.decode()
    assert 'name="note"' in page
    response = _withdraw(client, application, note="本年度暂不申报")
    assert response.status_code == 302
    assert response["Location"] == reverse("applications:detail", args=[application.pk])
    application.refresh_from_db()
    assert application.state == ApplicationState.WITHDRAWN
    event = application.events.latest("id")
    assert (event.action, event.actor, event.note) == (
        Action.WITHDRAW,
        cast.county_a_head,
        "本年度暂不申报",
    )


def test_a_reason_is_optional(client, cast, application):
    client.force_login(cast.county_a_head)
    assert _withdraw(client, application).status_code == 302
    event = ApplicationEvent.objects.filter(application=application).latest("id")
    assert (event.action, event.note) == (Action.WITHDRAW, "")


def test_a_reason_too_long_is_shown_again_with_the_error(client, cast, application):
    client.force_login(cast.county_a_head)
    typed = "因" * 2001
    with nothing_moves():
        response = _withdraw(client, application, note=typed)
    assert response.status_code == 400
    body = response.content.decode()
    # The detail page again, with the withdrawal form open, the text and the message.
    assert re.search(r"<details[^>]* open>", body)
    assert f"{typed}</textarea>" in body
    assert 'aria-invalid="true"' in body
    error = re.search(r'id="id_note_error">(.*?)</div>', body, flags=re.DOTALL).group(1)
    assert "2000" in error
    application.refresh_from_db()
    assert application.state == ApplicationState.DRAFT


def test_only_the_countys_head_withdraws(client, cast, application):
    url = reverse("applications:withdraw", args=[application.pk])
    with nothing_moves():
        client.force_login(cast.county_a_applicant)
        assert client.post(url, {"note": "x"}).status_code == 403  # may look, not act
        client.force_login(cast.county_b_head)
        assert client.post(url, {"note": "x"}).status_code == 404  # outside the scope
        page = client.get(reverse("applications:detail", args=[application.pk]))
        assert page.status_code == 404


def test_the_applicant_sees_no_withdrawal_form(client, cast, application):
    client.force_login(cast.county_a_applicant)
    page = client.get(reverse("applications:detail", args=[application.pk])).content.decode()
    assert application.county.name in page  # the application's page, drawn
    assert reverse("applications:withdraw", args=[application.pk]) not in page


def test_a_withdrawal_after_the_citys_approval_is_explained(client, cast, complete_application):
    application = reach(complete_application, ApplicationState.CITY_APPROVED)
    client.force_login(cast.county_a_head)
    with nothing_moves():
        response = _withdraw(client, application, note="撤回")
    assert response.status_code == 302
    assert "不能" in _messages(response)
    application.refresh_from_db()
    assert application.state == ApplicationState.CITY_APPROVED


def test_only_county_bureaus_start_an_application(client, cast, cycle):
    with nothing_moves():
        for who in ("city_a_reviewer", "office", "nobody"):
            client.force_login(getattr(cast, who))
            assert client.post(reverse("applications:create")).status_code == 403, who


def test_a_second_application_is_refused_with_a_message(client, cast, application):
    client.force_login(cast.county_a_head)
    with nothing_moves():
        response = client.post(reverse("applications:create"))
    assert response["Location"] == reverse("applications:list")
    assert "已有" in _messages(response)
    assert Application.objects.filter(county=application.county).count() == 1


def test_no_application_without_an_open_cycle(client, cast, cycle):
    cycle_close(cycle=cycle, by=SystemActor.LOADER)
    client.force_login(cast.county_b_head)
    with nothing_moves():
        response = client.post(reverse("applications:create"))
    assert response["Location"] == reverse("applications:list")
    assert _messages(response)
    assert not Application.objects.exists()
