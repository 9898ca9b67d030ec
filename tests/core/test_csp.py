"""No template needs inline script, so the Content-Security-Policy can forbid it."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

TEMPLATES = Path(settings.BASE_DIR) / "templates"
INLINE_HANDLER = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)
SCRIPT_TAG = re.compile(r"<script\b([^>]*)>", re.IGNORECASE)


def _templates():
    return sorted(TEMPLATES.rglob("*.html"))


@pytest.mark.parametrize("path", _templates(), ids=lambda p: str(p.relative_to(TEMPLATES)))
def test_no_template_carries_inline_script(path):
    text = path.read_text()
    assert not INLINE_HANDLER.search(text), "an inline event handler: use static/js"
    assert "javascript:" not in text.lower(), "a javascript: URL: use static/js"
    for attributes in SCRIPT_TAG.findall(text):
        # Data for a script (json_script) is not script.
        assert "src=" in attributes or "application/json" in attributes, attributes


@pytest.mark.django_db
def test_every_page_is_served_with_a_policy_that_forbids_inline_script(client):
    response = client.get(reverse("accounts:login"))
    policy = response["Content-Security-Policy"]
    script_src = next(part for part in policy.split(";") if "script-src" in part)
    assert "'self'" in script_src and "unsafe" not in script_src
    assert "frame-ancestors 'none'" in policy
    assert "object-src 'none'" in policy
