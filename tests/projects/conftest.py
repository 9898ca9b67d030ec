import pytest

from apps.accounts.roles import Role
from tests.conftest import make_role_user
from tests.projects.factories import ProjectFactory


@pytest.fixture
def liaison(db):
    return make_role_user(Role.LIAISON, username="xm-liaison")


@pytest.fixture
def other_liaison(db):
    return make_role_user(Role.LIAISON, username="xm-other")


@pytest.fixture
def economy(db):
    return make_role_user(Role.ECONOMY, username="xm-economy")


@pytest.fixture
def leader(db):
    return make_role_user(Role.LEADER, username="xm-leader")


@pytest.fixture
def project(liaison):
    return ProjectFactory(liaison=liaison)
