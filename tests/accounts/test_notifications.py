"""The notification centre: notify once, the bell, the list, the API, the daily digest."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from apps.accounts import services
from apps.accounts.models import DigestEmail, Notification, User
from apps.accounts.roles import Role
from apps.accounts.tasks import send_digests
from apps.core.registry import notification_events
from tests.conftest import FRAME_QUERIES
from tests.services.factories import DemandFactory

pytestmark = pytest.mark.django_db

EVENT = "services.demand_escalated"


def tell(users, obj, key="k", title="诉求超期升级督办"):
    return services.notify(event=EVENT, recipients=users, obj=obj, title=title, key=key, url="/x/")


@pytest.fixture
def leader(user_of):
    return user_of(Role.LEADER, username="wang", email="wang@example.gov.cn")


def test_notify_writes_one_row_per_recipient_and_never_the_same_key_twice(leader, user_of):
    other = user_of(Role.SERVICE, username="li")
    demand = DemandFactory()
    assert len(tell([leader, other, leader], demand)) == 2
    assert tell([leader, other], demand) == []
    assert len(tell([leader], demand, key="another")) == 1
    assert Notification.objects.count() == 3
    row = Notification.objects.filter(recipient=leader).first()
    assert row.subject == demand


def test_notify_drops_inactive_people_and_those_the_owning_app_does_not_let_see(leader, user_of):
    investment = user_of(Role.INVESTMENT, username="chen")  # no access to demands
    leader_gone = user_of(Role.LEADER, username="gone", is_active=False)
    created = tell([investment, leader_gone, leader], DemandFactory())
    assert [row.recipient for row in created] == [leader]


def test_notify_refuses_an_event_no_app_declared(leader):
    with pytest.raises(LookupError):
        services.notify(event="nobody.declared", recipients=[leader], obj=None, title="t", key="k")


def test_every_declared_event_is_in_the_readme_table():
    readme = (Path(__file__).parents[2] / "README.md").read_text()
    missing = [code for code in notification_events() if f"`{code}`" not in readme]
    assert missing == []


def test_the_bell_is_on_every_page_and_its_count_comes_from_the_api(client, leader):
    tell([leader], DemandFactory())
    client.force_login(leader)
    page = client.get(reverse("accounts:home")).content.decode()
    assert 'data-testid="bell"' in page
    assert reverse("api:notification-unread-count") in page
    assert client.get(reverse("api:notification-unread-count")).json() == {"unread": 1}


def test_the_unread_count_follows_reads_and_new_notifications(leader):
    demand = DemandFactory()
    assert services.unread_count(leader) == 0
    tell([leader], demand, key="a")
    tell([leader], demand, key="b")
    assert services.unread_count(leader) == 2
    services.notification_mark_read(notification=leader.notifications.first(), by=leader)
    assert services.unread_count(leader) == 1


def test_the_list_shows_my_notifications_only_in_a_fixed_number_of_queries(
    client, leader, user_of, django_assert_num_queries
):
    other = user_of(Role.LEADER, username="other")
    demand = DemandFactory()
    for index in range(30):
        tell([leader], demand, key=str(index), title=f"我的通知{index}")
    tell([other], demand, title="别人的通知")
    client.force_login(leader)
    # The user's permissions for the navigation (2); the paginator's count, the unread count
    # and the page of notifications (3).
    with django_assert_num_queries(FRAME_QUERIES + 2 + 3):
        response = client.get(reverse("accounts:notifications"))
    page = response.content.decode()
    assert "我的通知29" in page and "别人的通知" not in page
    assert page.count('data-testid="notifications"') == 1


def test_opening_a_notification_marks_it_read_and_goes_to_its_object(client, leader, user_of):
    row = tell([leader], DemandFactory())[0]
    row = Notification.objects.get(recipient=leader)
    client.force_login(user_of(Role.LEADER, username="other"))
    assert client.get(reverse("accounts:notification_open", args=[row.pk])).status_code == 404
    client.force_login(leader)
    response = client.get(reverse("accounts:notification_open", args=[row.pk]))
    assert response.status_code == 302 and response["Location"] == "/x/"
    row.refresh_from_db()
    assert row.read_at is not None


def test_a_link_that_leaves_the_site_is_never_followed(client, leader):
    services.notify(
        event=EVENT, recipients=[leader], obj=None, title="t", key="k", url="//evil.example/"
    )
    row = Notification.objects.get(recipient=leader)
    client.force_login(leader)
    response = client.get(reverse("accounts:notification_open", args=[row.pk]))
    assert response["Location"] == reverse("accounts:notifications")


def test_mark_one_and_mark_all_read_on_the_page(client, leader):
    demand = DemandFactory()
    for key in "abc":
        tell([leader], demand, key=key)
    client.force_login(leader)
    first = Notification.objects.filter(recipient=leader).first()
    client.post(reverse("accounts:notification_read", args=[first.pk]))
    assert services.unread_count(leader) == 2
    response = client.post(reverse("accounts:notification_read_all"), follow=True)
    assert "已将 2 条通知标为已读" in response.content.decode()
    assert not Notification.objects.filter(read_at__isnull=True).exists()


def test_the_api_lists_my_notifications_and_marks_them_read(client, leader, user_of):
    other = user_of(Role.LEADER, username="other")
    demand = DemandFactory()
    tell([leader, other], demand)
    client.force_login(leader)
    rows = client.get(reverse("api:notification-list")).json()["results"]
    assert [row["is_read"] for row in rows] == [False]
    others = Notification.objects.get(recipient=other)
    assert client.post(reverse("api:notification-read", args=[others.pk])).status_code == 404
    mine = rows[0]["id"]
    assert client.post(reverse("api:notification-read", args=[mine])).json()["is_read"] is True
    assert client.get(reverse("api:notification-list") + "?unread=1").json()["count"] == 0
    tell([leader], demand, key="again")
    assert client.post(reverse("api:notification-read-all")).json() == {"unread": 0}
    assert services.unread_count(leader) == 0


def test_the_daily_digest_is_sent_once_with_what_is_unread(leader, user_of):
    quiet = user_of(Role.LEADER, username="quiet", email="quiet@example.gov.cn")
    quiet.digest = User.Digest.OFF
    quiet.save()
    demand = DemandFactory()
    tell([leader, quiet], demand, title="诉求超期升级督办：甲公司")
    read = tell([leader], demand, key="read", title="已读的通知")[0]
    services.notification_mark_read(notification=read, by=leader)

    assert send_digests.delay().get() == 1
    assert send_digests.delay().get() == 0
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["wang@example.gov.cn"]
    assert "诉求超期升级督办：甲公司" in message.body and "已读的通知" not in message.body
    assert "http://127.0.0.1:8000/x/" in message.body


def test_a_digest_goes_at_most_once_a_day_and_the_rest_waits_for_tomorrow(leader):
    demand = DemandFactory()
    tell([leader], demand, key="a")
    today = timezone.localdate()
    assert services.digest_send(user=leader, day=today) is True
    tell([leader], demand, key="b")
    assert services.digest_send(user=leader, day=today) is False
    assert services.digest_send(user=leader, day=today + timedelta(days=1)) is True
    assert len(mail.outbox) == 2
    assert DigestEmail.objects.filter(user=leader).count() == 2


def test_a_user_turns_the_digest_off_on_the_notification_page(client, leader):
    client.force_login(leader)
    response = client.post(reverse("accounts:notification_settings"), {"digest": "off"})
    assert response.status_code == 302
    leader.refresh_from_db()
    assert leader.digest == User.Digest.OFF
    client.post(reverse("accounts:notification_settings"), {"digest": "weekly"})
    leader.refresh_from_db()
    assert leader.digest == User.Digest.OFF
