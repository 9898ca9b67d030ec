"""Every named URL x every role: the status each gets for a GET, from tests/<app>/access.py."""

import importlib
import pkgutil

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

import tests
from tests.access import ANONYMOUS, ROLES, Access, Skip


def _url_names(patterns=None, namespace=()):
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            inner = (*namespace, pattern.namespace) if pattern.namespace else namespace
            yield from _url_names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield ":".join((*namespace, pattern.name))


def _matrix():
    matrix = {}
    for module_info in pkgutil.iter_modules(tests.__path__):
        if not module_info.ispkg:
            continue
        try:
            module = importlib.import_module(f"tests.{module_info.name}.access")
        except ModuleNotFoundError:
            continue
        duplicated = matrix.keys() & module.ACCESS.keys()
        assert not duplicated, f"URL names in two matrices: {sorted(duplicated)}"
        matrix.update(module.ACCESS)
    return matrix


MATRIX = _matrix()
URL_NAMES = sorted(set(_url_names()))


def _rule_for(name):
    if name in MATRIX:
        return MATRIX[name]
    namespace = name.split(":", 1)[0]
    return MATRIX.get(f"{namespace}:*")


def test_every_named_url_has_an_entry_in_the_role_matrix():
    missing = [name for name in URL_NAMES if _rule_for(name) is None]
    assert missing == [], f"Add these URLs to a tests/<app>/access.py matrix: {missing}"


def test_the_matrix_names_no_url_that_does_not_exist():
    stale = [name for name in MATRIX if not name.endswith(":*") and name not in URL_NAMES]
    assert stale == []


CHECKED = [name for name in URL_NAMES if isinstance(_rule_for(name), Access)]


@pytest.mark.parametrize("url_name", CHECKED)
def test_each_role_gets_the_expected_status(url_name, client, role_users):
    rule: Access = _rule_for(url_name)
    kwargs = rule.kwargs(role_users) if rule.kwargs else {}
    url = reverse(url_name, kwargs=kwargs) + (f"?{rule.query}" if rule.query else "")
    is_api = url.startswith("/api/")
    got = {}
    for role in [ANONYMOUS, *ROLES]:
        client.logout()
        if role != ANONYMOUS:
            client.force_login(role_users[role])
        response = client.get(url)
        got[role] = response.status_code
        if response.status_code == 302 and role == ANONYMOUS and rule.anonymous_status is None:
            assert "/login/" in response["Location"], f"{url} as anonymous: {response['Location']}"
    expected = {role: rule.expected(role, is_api) for role in [ANONYMOUS, *ROLES]}
    assert got == expected, url


def test_skipped_entries_give_a_reason():
    assert all(rule.reason for rule in MATRIX.values() if isinstance(rule, Skip))
