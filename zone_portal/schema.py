"""Make the OpenAPI schema say what the API answers when it refuses.

drf-spectacular documents the successful response of each operation. The API also answers:
401 without credentials (every operation), 403 when the role may not, 400 when input is refused
(a body, or a filter value that is not one of the allowed ones), 404 for an unknown id or a page
past the last. A postprocessing hook adds these once, so that
a client (or schemathesis) reading the schema is not surprised by a documented refusal.
"""

ERROR_SCHEMA_NAME = "Error"
FIELD_ERRORS_SCHEMA_NAME = "FieldErrors"

ERROR_SCHEMA = {
    "type": "object",
    "description": "A refusal with its reason (Chinese).",
    "properties": {"detail": {"type": "string"}},
    "required": ["detail"],
}
FIELD_ERRORS_SCHEMA = {
    "type": "object",
    "description": (
        "Input refused: each field (or non_field_errors) with its reasons, or a detail."
    ),
    "additionalProperties": {
        "oneOf": [
            {"type": "array", "items": {"type": "string"}},
            {"type": "string"},
            {"type": "object"},
        ]
    },
}


def _response(description: str, schema_name: str) -> dict:
    return {
        "description": description,
        "content": {
            "application/json": {"schema": {"$ref": f"#/components/schemas/{schema_name}"}}
        },
    }


REFUSALS = {
    "400": ("输入有误（字段及原因）", FIELD_ERRORS_SCHEMA_NAME),
    "401": ("未登录或令牌无效、已过期", ERROR_SCHEMA_NAME),
    "403": ("无权执行此操作", ERROR_SCHEMA_NAME),
    "404": ("对象不存在或无权查看", ERROR_SCHEMA_NAME),
}


EMPTY = {"type": "string", "maxLength": 0}


def _allow_empty(parameter: dict) -> None:
    """A list's filters take an empty value as "not filtered" (a filter form submitted with the
    field left blank sends `?year=&status=`), whatever the parameter's type."""
    schema = parameter.get("schema")
    if not schema or "anyOf" in schema or schema.get("type") == "array":
        return
    if schema.get("type") == "string" and "enum" not in schema and "format" not in schema:
        return  # free text takes "" already
    parameter["schema"] = {"anyOf": [schema, EMPTY]}


def document_refusals(result, generator, request, public):
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas.setdefault(ERROR_SCHEMA_NAME, ERROR_SCHEMA)
    schemas.setdefault(FIELD_ERRORS_SCHEMA_NAME, FIELD_ERRORS_SCHEMA)
    for path, operations in result.get("paths", {}).items():
        for operation in operations.values():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            parameters = operation.get("parameters", [])
            if operation is operations.get("get"):
                for parameter in parameters:
                    if parameter.get("in") == "query":
                        _allow_empty(parameter)
            codes = ["401", "403"]
            # A body or filters can be refused; so can a delete (the record is still needed:
            # a year's target with its monthly split).
            refusable = "requestBody" in operation or operation is operations.get("delete")
            if refusable or any(p.get("in") == "query" for p in parameters):
                codes.append("400")
            # An unknown id, or a page past the last one (?page=).
            if "{" in path or any(p.get("name") == "page" for p in parameters):
                codes.append("404")
            for code in codes:
                description, schema_name = REFUSALS[code]
                operation["responses"].setdefault(code, _response(description, schema_name))
    return result
