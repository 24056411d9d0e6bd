"""Returned for revision: everything to fix in one place, and the county head's home says so."""

import pytest
from django.urls import reverse

from applications.enums import Action, ApplicationState
from applications.workflow import application_transition
from review.services import review_decide
from standards.models import Item
from tests.states import reach

pytestmark = pytest.mark.django_db
S = ApplicationState
WHY = "第3.2项、第5.6项佐证材料不全"


def _returned(application, cast):
    application = reach(application, S.SUBMITTED)
    version = application.cycle.criteria_version
    items = {
        i.code: i for i in Item.objects.filter(section__version=version, code__in=["3.2", "5.6"])
    }
    review_decide(
        application=application,
        action=Action.RETURN,
        by=cast.city_a_reviewer,
        reasons=WHY,
        comments={items["3.2"].pk: "请补充错证率台账", items["5.6"].pk: "专职人员名册缺失"},
    )
    application.refresh_from_db()
    return application


def test_the_page_lists_every_comment_with_a_link_to_its_item(client, cast, complete_application):
    application = _returned(complete_application, cast)
    client.force_login(cast.county_a_applicant)
    page = client.get(reverse("applications:detail", args=[application.pk])).content.decode()
    assert 'id="to-fix"' in page
    assert f'href="/applications/{application.pk}/sections/3/#item-3.2"' in page
    assert f'href="/applications/{application.pk}/sections/5/#item-5.6"' in page
    assert "请补充错证率台账" in page
    assert "专职人员名册缺失" in page
    assert WHY in page
    # The overall reasons first, then item by item.
    assert page.index(WHY) < page.index("请补充错证率台账") < page.index("专职人员名册缺失")
    # The sections with comments carry a badge; the others none.
    assert page.count("条意见</span>") == 2


def test_only_the_rounds_own_comments_and_only_while_returned(client, cast, complete_application):
    application = _returned(complete_application, cast)
    application_transition(
        application=application,
        action=Action.RESUBMIT,
        by=cast.county_a_head,
        pledge=True,
        acknowledged=True,
    )
    client.force_login(cast.county_a_applicant)
    page = client.get(reverse("applications:detail", args=[application.pk])).content.decode()
    assert 'id="to-fix"' not in page
    # Returned again, with one new comment: only that round's is listed.
    review_decide(
        application=application,
        action=Action.RETURN,
        by=cast.city_a_reviewer,
        reasons="复核：材料仍不全",
    )
    page = client.get(reverse("applications:detail", args=[application.pk])).content.decode()
    assert "复核：材料仍不全" in page
    assert "请补充错证率台账" not in page.split('id="to-fix"')[1].split("</section>")[0]


def test_the_county_heads_home_says_it_was_returned_and_why(client, cast, complete_application):
    application = _returned(complete_application, cast)
    client.force_login(cast.county_a_head)
    home = client.get(reverse("home")).content.decode()
    assert f"您的{application.cycle.year}年度申报已被退回修改" in home
    assert WHY in home
    assert cast.city_a_reviewer.get_full_name() in home
    assert f'href="/applications/{application.pk}/#to-fix"' in home
    assert "查看需修改的3条意见" in home


@pytest.mark.parametrize("who", ["county_b_applicant", "city_a_reviewer", "office"])
def test_no_one_elses_home_shows_it(client, cast, complete_application, who):
    _returned(complete_application, cast)
    client.force_login(getattr(cast, who))
    home = client.get(reverse("home"))
    assert home.status_code == 200
    page = home.content.decode()
    assert getattr(cast, who).get_full_name() in page  # their own home, drawn
    assert WHY not in page
