"""Confidential 招商 in the briefing: every briefing is written without confidential leads and
projects (and says so), so its 招商 part shows nobody a total of things they may not see and an
issued briefing is the same document for every reader."""

import copy
import io
from datetime import date
from decimal import Decimal

import pytest
from docx import Document

from apps.dashboard import services
from apps.dashboard.models import Briefing
from tests.dashboard.test_briefing import _issued, _text
from tests.investment.factories import ProjectFactory

pytestmark = pytest.mark.django_db


def _signed(confidential: bool, amount="10000"):
    return ProjectFactory(
        status="signed",
        signed_on=date(2023, 5, 1),
        contract_investment=Decimal(amount),
        confidential=confidential,
    )


def _item(snapshot, code):
    return next(
        item
        for section in snapshot["sections"]
        for item in section["items"]
        if item["code"] == code
    )


def test_the_briefing_counts_only_what_is_not_confidential_and_says_so(client, role_users):
    _signed(confidential=False, amount="10000")
    _signed(confidential=True, amount="90000")
    briefing = services.briefing_create(by=role_users["经济发展"], year=2023, month=11)

    for role in ("经济发展", "领导"):
        client.force_login(role_users[role])
        page = client.get(f"/dashboard/briefings/{briefing.pk}/").content.decode()
        assert "招商数据不含保密线索和保密项目。" in page
        assert "1亿元" in page and "10亿元" not in page  # 10,000 万元, not 100,000
        document = _text(client.get(f"/dashboard/briefings/{briefing.pk}/docx/").content)
        assert "招商数据不含保密线索和保密项目。" in document and "1亿元" in document
    # The leadership's dashboard still counts the zone's every project.
    figures = {f["code"]: f for f in client.get("/api/dashboard/?period=2023-11").json()["figures"]}
    assert figures["investment_signed"]["value"] == "2.0000"


def test_an_issued_briefing_is_compared_in_its_own_scope(client, role_users):
    _signed(confidential=False)
    briefing = _issued(role_users)
    assert _item(briefing.snapshot, "investment_signed")["value"] == "1"
    _signed(confidential=True)  # later, and confidential: nothing the briefing counts

    client.force_login(role_users["领导"])
    page = client.get(f"/dashboard/briefings/{briefing.pk}/").content.decode()
    assert "现为" not in page
    _signed(confidential=False)
    from apps.core import figures

    figures.invalidate("investment")
    page = client.get(f"/dashboard/briefings/{briefing.pk}/").content.decode()
    assert "现为 2个" in page  # a public signing does change what the briefing counted


def test_a_briefing_issued_with_confidential_totals_hides_them_from_who_may_not_see_them(
    client, role_users
):
    """Briefings issued before the public scope counted confidential projects: whoever may not
    see those reads the briefing without its 招商 part, on the page and in the .docx."""
    _signed(confidential=True)
    briefing = _issued(role_users)
    legacy = copy.deepcopy(briefing.snapshot)
    del legacy["scope"]
    _item(legacy, "investment_signed").update(value="1", written="1个")
    Briefing.objects.filter(pk=briefing.pk).update(snapshot=legacy)

    client.force_login(role_users["经济发展"])
    page = client.get(f"/dashboard/briefings/{briefing.pk}/").content.decode()
    assert 'data-code="investment_signed"' not in page
    assert "、招商引资</h2>" not in page
    download = client.get(f"/dashboard/briefings/{briefing.pk}/docx/").content
    assert download != bytes(Briefing.objects.get(pk=briefing.pk).document)
    headings = [p.text for p in Document(io.BytesIO(download)).paragraphs]
    assert not any("招商引资" in text for text in headings)

    client.force_login(role_users["领导"])
    page = client.get(f"/dashboard/briefings/{briefing.pk}/").content.decode()
    assert 'data-code="investment_signed"' in page
