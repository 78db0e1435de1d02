"""The OpenAPI 3.1 document, built from the endpoint declarations themselves."""
import re

from flask import Flask
from pydantic.json_schema import models_json_schema

from appliance.api.errors import ErrorResponse

REF = "#/components/schemas/{model}"
_ERROR_TEXT = {
    400: "Malformed request (body is not valid JSON)",
    401: "Missing, invalid or expired token",
    403: "The caller's role may not do this",
    404: "No such record",
    409: "Conflicts with the current state (e.g. a double booking)",
    413: "Body too large",
    415: "Body is not application/json",
    422: "A field is invalid; each field and reason is named",
}


def _operations(app: Flask):
    for rule in app.url_map.iter_rules():
        view = app.view_functions.get(rule.endpoint)
        operation = getattr(view, "operation", None)
        if operation is not None:
            yield rule, operation


def build_document(app: Flask, title: str, version: str) -> dict:
    """The whole OpenAPI document of ``app``."""
    operations = sorted(_operations(app), key=lambda pair: (pair[0].rule, pair[1].method))
    models = {(ErrorResponse, "serialization")}
    for _, op in operations:
        models |= {(m, "validation") for m in (op.body, op.query) if m is not None}
        if op.response is not None:
            models.add((op.response, "serialization"))
    refs, defs = models_json_schema(sorted(models, key=lambda m: (m[0].__name__, m[1])), ref_template=REF)
    paths = {}
    for rule, op in operations:
        path = re.sub(r"<(?:[a-z]+:)?([a-z_]+)>", r"{\1}", rule.rule)
        paths.setdefault(path, {})[op.method.lower()] = _operation_doc(rule, op, refs, defs)
    return {
        "openapi": "3.1.0",
        "info": {"title": title, "version": version},
        "servers": [{"url": "/"}],
        "paths": paths,
        "components": {
            "schemas": defs.get("$defs", {}),
            "securitySchemes": {
                "bearerAuth": {"type": "http", "scheme": "bearer"},
                # The box's own pages call the API with their session cookie and an X-CSRF-Token header.
                "sessionCookie": {"type": "apiKey", "in": "cookie", "name": "salon_box_session"},
            },
        },
    }


def _operation_doc(rule, op, refs, defs) -> dict:
    doc = {"operationId": rule.endpoint.replace(".", "_"), "summary": op.summary, "tags": [op.tag]}
    parameters = [{"name": name, "in": "path", "required": True, "schema": op.path.get(name, {"type": "string"})}
                  for name in sorted(rule.arguments)]
    if op.query is not None:
        parameters += _query_parameters(refs[(op.query, "validation")], defs)
    if parameters:
        doc["parameters"] = parameters
    if op.body is not None:
        doc["requestBody"] = {"required": True, "content": {
            "application/json": {"schema": refs[(op.body, "validation")]}}}
    responses = {}
    if op.response is None:
        responses["204"] = {"description": "Done"}
    else:
        responses[str(op.status)] = {"description": "Success", "content": {
            "application/json": {"schema": refs[(op.response, "serialization")]}}}
    for status in _error_statuses(rule, op):
        responses[str(status)] = {"description": _ERROR_TEXT[status], "content": {
            "application/json": {"schema": refs[(ErrorResponse, "serialization")]}}}
    doc["responses"] = responses
    doc["security"] = [] if op.permission is None else [{"bearerAuth": []}, {"sessionCookie": []}]
    return doc


def _error_statuses(rule, op) -> list[int]:
    statuses = set(op.extra_errors)
    if op.permission is not None:
        statuses |= {401, 403}
    if rule.arguments:
        statuses.add(404)
    if op.body is not None:
        statuses |= {400, 413, 415, 422}
    if op.query is not None or op.path:
        statuses.add(422)
    if op.conflicts:
        statuses.add(409)
    return sorted(statuses)


def _query_parameters(ref: dict, defs: dict) -> list[dict]:
    name = ref["$ref"].rsplit("/", 1)[-1]
    schema = defs["$defs"][name]
    required = set(schema.get("required", []))
    return [{"name": prop, "in": "query", "required": prop in required, "schema": sub,
             **({"explode": True, "style": "form"} if sub.get("type") == "array" else {})}
            for prop, sub in schema.get("properties", {}).items()]
