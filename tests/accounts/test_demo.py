from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import call_command

from apps.accounts.demo import DEMO_ACCOUNTS, DEMO_PASSWORD
from apps.accounts.models import User


def _counts():
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model._meta.app_label in {"accounts", "enterprises", "services", "staff", "auth"}
    }


pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo")]


def test_load_demo_twice_changes_nothing():
    first = _counts()
    call_command("load_demo", verbosity=0)
    assert _counts() == first


def test_every_demo_account_logs_in_with_the_readme_password(client):
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    assert DEMO_PASSWORD in readme
    for username, *_rest in DEMO_ACCOUNTS:
        assert f"`{username}`" in readme
        response = client.post(
            "/accounts/login/", {"username": username, "password": DEMO_PASSWORD}
        )
        assert response.status_code == 302, username
        assert client.get("/").status_code == 200
        client.logout()
    assert User.objects.get(username="admin").is_superuser
