"""The demo as a newcomer meets it: a few lines on what was loaded and where to log in, mails
kept as files (not in the log) with links to the address the demo serves; 龙沙区's own people."""

import io

import pytest
from django.core import mail
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def test_load_demo_says_in_a_few_lines_what_it_loaded_and_where_to_log_in(settings):
    settings.SITE_URL = "http://127.0.0.1:8123"
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    lines = out.getvalue().strip().splitlines()
    assert len(lines) <= 8, lines
    text = "\n".join(lines)
    assert "accounts: 26, password Demo@2026; 15 of them log in with a second factor" in text
    assert (
        "applications: 9 (1 草稿, 1 已提交市级, 1 已上报省厅, 1 书面审查合格, "
        "1 书面审查不合格, 1 省厅党委会议审议通过, 3 已命名)" in text
    )
    assert "designations: 6 (2 有效, 2 待复检, 1 整改中, 1 已撤销)" in text
    assert "public notices (公示): 3, objections waiting: 1" in text
    assert lines[-1] == "Log in at http://127.0.0.1:8123/accounts/login/"
    assert "Subject:" not in text
    assert "Content-Type" not in text
    # A second run loads nothing more and says the same.
    again = io.StringIO()
    call_command("load_demo", stdout=again)
    assert again.getvalue() == out.getvalue()


def test_load_demo_tells_each_step_when_asked():
    out = io.StringIO()
    call_command("load_demo", stdout=out, verbosity=2)
    assert "demo users: 14 created" in out.getvalue()
    assert "demo designations: 5 created" in out.getvalue()


def test_the_demo_writes_mails_to_files_and_their_links_use_site_url(
    settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "http://127.0.0.1:8123"
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = str(tmp_path / "mail")
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo", stdout=out)
    files = sorted((tmp_path / "mail").glob("*.log"))
    assert files
    # (The summary is written before this test's transaction lets the mails go.)
    assert f" in {tmp_path / 'mail'}/ (one file each)" in out.getvalue()
    body = "\n".join(f.read_text() for f in files)
    assert "http://127.0.0.1:8123/applications/" in body
    assert "http://127.0.0.1:8000" not in body


def test_a_mails_link_uses_site_url(settings, cast, django_capture_on_commit_callbacks):
    from organizations.notifications import notify

    settings.SITE_URL = "https://portal.example.gov.cn"
    with django_capture_on_commit_callbacks(execute=True):
        notify(users=[cast.office], key="t:1", subject="主题", body="正文", url="/applications/1/")
    (message,) = mail.outbox
    assert "https://portal.example.gov.cn/applications/1/" in message.body
    html = message.alternatives[0][0]
    assert 'href="https://portal.example.gov.cn/applications/1/"' in html


def test_longsha_has_its_own_people_and_a_qiqihar_telephone():
    from applications.models import Application

    call_command("load_demo", stdout=io.StringIO())
    longsha = Application.objects.get(county__code="230202")
    assert longsha.head_name == "宋守成（演示）"
    assert longsha.contact_name == "韩知远（演示）"
    assert longsha.contact_phone.startswith("0452-")
    daoli = Application.objects.get(county__code="230102")
    assert daoli.contact_phone.startswith("0451-")
    assert daoli.head_name == "周正言（演示）"
