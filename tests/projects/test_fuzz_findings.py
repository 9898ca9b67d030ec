"""What schemathesis found on the projects API (issue 9), one regression test each."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def schema(django_db_setup, django_db_blocker):
    from drf_spectacular.generators import SchemaGenerator

    with django_db_blocker.unblock():
        return SchemaGenerator().get_schema(request=None, public=True)


def test_an_optional_text_in_a_workflow_body_is_documented_nullable(schema):
    # {"comment": null} was accepted (the form reads None as empty) where the schema said string.
    bodies = {k: v for k, v in schema["components"]["schemas"].items() if k.endswith("BodyRequest")}
    assert bodies
    for name, body in bodies.items():
        for field, prop in body["properties"].items():
            if field not in body.get("required", []) and prop.get("type") == "string":
                assert prop.get("nullable"), (name, field)
