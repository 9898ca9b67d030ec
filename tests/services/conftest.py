import pytest

from apps.accounts.roles import Role


@pytest.fixture
def actors(user_of):
    """Named people: 李敏 of 企业服务局, 刘洋 of 行政审批局, 张伟 of 经济发展局, the leader,
    a project liaison and an investment officer."""
    return {
        "service": user_of(Role.SERVICE, username="li", full_name="李敏"),
        "approval": user_of(Role.APPROVAL, username="liu", full_name="刘洋"),
        "economy": user_of(Role.ECONOMY, username="zhang", full_name="张伟"),
        "leader": user_of(Role.LEADER, username="wang", full_name="王建国"),
        "liaison": user_of(Role.LIAISON, username="zhao", full_name="赵磊"),
        "investment": user_of(Role.INVESTMENT, username="chen", full_name="陈静"),
        "admin": user_of(Role.ADMIN, username="zhou", full_name="周强"),
    }
