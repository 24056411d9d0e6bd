"""The inbox: the user's own messages, marked read through a form."""

import pytest
from django.urls import reverse

from organizations.models import Notification
from organizations.notifications import notify

pytestmark = pytest.mark.django_db

# Session, user, memberships, unread notices, the count and the page; the session touched.
INBOX_QUERIES = 9


def _messages(user, count):
    for n in range(count):
        notify(users=[user], key=f"k{n}", subject=f"第{n}条消息", body="正文")
    return list(Notification.objects.filter(user=user).order_by("pk"))


@pytest.mark.parametrize("count", [1, 60])
def test_inbox_query_count_is_literal(client, cast, count, django_assert_num_queries):
    _messages(cast.county_a_head, count)
    client.force_login(cast.county_a_head)
    with django_assert_num_queries(INBOX_QUERIES):
        page = client.get(reverse("inbox")).content.decode()
    assert page.count("第") >= min(count, 50)


def test_inbox_is_paged_by_fifty_with_the_total(client, cast):
    _messages(cast.county_a_head, 60)
    client.force_login(cast.county_a_head)
    first = client.get(reverse("inbox")).content.decode()
    assert first.count("list-group-item-warning") == 50
    assert "60" in first
    assert "第59条消息" in first  # newest first
    second = client.get(reverse("inbox"), {"page": 2}).content.decode()
    assert second.count("list-group-item-warning") == 10
    assert "第0条消息" in second


def test_marking_listed_messages_read_leaves_the_others(client, cast):
    first, second, third = _messages(cast.county_a_head, 3)
    client.force_login(cast.county_a_head)
    response = client.post(reverse("inbox_read"), {"id": [first.pk, third.pk]})
    assert response.status_code == 302
    unread = set(Notification.objects.filter(read_at__isnull=True).values_list("pk", flat=True))
    assert unread == {second.pk}


def test_marking_all_read(client, cast):
    messages = _messages(cast.county_a_head, 2)
    others = _messages(cast.county_a_applicant, 1)
    client.force_login(cast.county_a_head)
    client.post(reverse("inbox_read"))
    # The user's two are read now; another user's stays unread.
    read = Notification.objects.filter(read_at__isnull=False)
    assert sorted(read.values_list("pk", flat=True)) == [m.pk for m in messages]
    assert Notification.objects.get(pk=others[0].pk).read_at is None


@pytest.mark.parametrize("bad", ["abc", "-1", "1.5"])
def test_an_id_that_is_not_a_number_marks_nothing(client, cast, bad):
    _messages(cast.county_a_head, 2)
    client.force_login(cast.county_a_head)
    response = client.post(reverse("inbox_read"), {"id": bad}, follow=True)
    assert "这些消息不在您的收件箱中" in response.content.decode()
    assert Notification.objects.filter(read_at__isnull=True).count() == 2


def test_another_users_message_is_not_marked(client, cast):
    [theirs] = _messages(cast.county_b_head, 1)
    mine = _messages(cast.county_a_head, 1)
    client.force_login(cast.county_a_head)
    client.post(reverse("inbox_read"), {"id": [theirs.pk]})
    theirs.refresh_from_db()
    assert theirs.read_at is None
    assert all(Notification.objects.get(pk=m.pk).read_at is None for m in mine)
    assert client.get(reverse("inbox"), follow=True).status_code == 200


def test_marking_read_refuses_get(client, cast):
    client.force_login(cast.county_a_head)
    assert client.get(reverse("inbox_read")).status_code == 405
