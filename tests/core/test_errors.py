"""One refusal rule: NotAllowed answers 403, Refused (any ValidationError) 400, one body shape."""

from django.core.exceptions import ValidationError
from rest_framework import serializers
from rest_framework.exceptions import ValidationError as DRFValidationError

from apps.core.errors import NON_FIELD, NotAllowed, Refused, api_exception_handler, error_dict


def test_a_refusal_about_a_field_names_it():
    assert error_dict(Refused("办理期限不能早于提出日期", field="deadline")) == {
        "deadline": ["办理期限不能早于提出日期"]
    }
    assert error_dict(ValidationError("只有办理中的诉求可以办结")) == {
        NON_FIELD: ["只有办理中的诉求可以办结"]
    }


def test_the_api_answers_a_refusal_with_400_and_the_one_body_shape():
    response = api_exception_handler(Refused("请填写原因", field="reason"), {})
    assert response.status_code == 400
    assert response.data == {"detail": "请填写原因", "errors": {"reason": ["请填写原因"]}}


def test_the_api_answers_not_allowed_with_403_and_the_reason():
    response = api_exception_handler(NotAllowed("只有责任部门的人员可以办理该诉求"), {})
    assert response.status_code == 403
    assert response.data["detail"] == "只有责任部门的人员可以办理该诉求"


def test_serializer_errors_take_the_same_shape():
    class Body(serializers.Serializer):
        amount = serializers.DecimalField(max_digits=5, decimal_places=2)

    body = Body(data={"amount": "abc"})
    assert not body.is_valid()
    response = api_exception_handler(DRFValidationError(body.errors), {})
    assert response.status_code == 400
    assert set(response.data) == {"detail", "errors"}
    assert list(response.data["errors"]) == ["amount"]
    assert response.data["detail"] == str(response.data["errors"]["amount"][0])
