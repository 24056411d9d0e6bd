"""Each role's home page says what that role has to do, in Chinese."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("who", "heading", "task"),
    [
        ("county_a_applicant", "县级申报员 · 哈尔滨市道里区司法局", "准备本单位的申报"),
        ("county_a_head", "县级局长 · 哈尔滨市道里区司法局", "作出申报材料客观真实的承诺"),
        ("city_a_reviewer", "市级初审员 · 哈尔滨市司法局", "进行初审"),
        ("city_a_head", "市级负责人 · 哈尔滨市司法局", "登记党委（党组）会议审议情况"),
        ("office", "领导小组办公室 · 黑龙江省司法厅", "开启创建年度"),
        ("evaluator_publicity", "考评组成员 · 厅法制宣传处", "进行评分"),
        ("sysadmin", "系统管理员 · 平台", "管理账号、单位和处室"),
        ("secadmin", "安全管理员 · 平台", "授予和撤销角色"),
        ("auditadmin", "安全审计员 · 平台", "查阅和导出审计日志"),
        ("nobody", "您的账号尚未分配角色", "联系系统管理员"),
    ],
)
def test_home_page_shows_the_roles_task(client, cast, who, heading, task):
    client.force_login(getattr(cast, who))
    body = client.get(reverse("home")).content.decode()
    assert heading in body
    assert task in body


def test_city_home_counts_its_own_counties(client, cast):
    client.force_login(cast.city_a_reviewer)
    body = client.get(reverse("home")).content.decode()
    # 哈尔滨 has 18 county-level divisions.
    assert "本市县级司法局" in body
    assert '<dd class="col-5 fw-bold">18</dd>' in body


def test_evaluator_home_names_the_divisions_sections(client, cast):
    client.force_login(cast.evaluator_grassroots)
    body = client.get(reverse("home")).content.decode()
    assert '<dd class="col-5 fw-bold">2</dd>' in body


def test_navigation_follows_the_role(client, cast):
    client.force_login(cast.county_a_applicant)
    county = client.get(reverse("home")).content.decode()
    assert reverse("admin:index") not in county
    client.force_login(cast.office)
    office = client.get(reverse("home")).content.decode()
    assert reverse("admin:index") in office


def test_anonymous_home_redirects_to_login(client):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next=/"


def test_language_switch_to_english(client, cast):
    client.force_login(cast.county_a_applicant)
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    body = client.get(reverse("home")).content.decode()
    assert '<html lang="en">' in body
    assert "County applicant · 哈尔滨市道里区司法局" in body
    assert "Prepare your bureau" in body
