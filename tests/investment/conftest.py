import pytest

from apps.accounts.roles import Role
from tests.conftest import make_role_user
from tests.investment.factories import TeamFactory


@pytest.fixture
def officer(db):
    return make_role_user(Role.INVESTMENT, username="zs-officer")


@pytest.fixture
def colleague(db):
    return make_role_user(Role.INVESTMENT, username="zs-colleague")


@pytest.fixture
def outsider(db):
    """招商 too, but in another team."""
    return make_role_user(Role.INVESTMENT, username="zs-outsider")


@pytest.fixture
def team(officer, colleague):
    return TeamFactory(name="招商一组", leader=officer, members=[officer, colleague])


@pytest.fixture
def other_team(outsider):
    return TeamFactory(name="招商二组", leader=outsider, members=[outsider])
