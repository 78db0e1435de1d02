"""The endpoint decorator: authentication, role check, validation, rendering, and API metadata.

Every endpoint is declared once, with its pydantic body/query/response models
and permission; the OpenAPI document is built from these same declarations,
so the document cannot drift from what the endpoints accept and return.
"""
import functools
import re
import secrets
from contextlib import contextmanager
from dataclasses import dataclass, field

from flask import Response, g, request, session
from pydantic import BaseModel, ValidationError
from pydantic_core import from_json

from appliance.domain.permissions import allowed
from appliance.services.auth import actor_for_token
from appliance.domain.wallclock import LocalTimeError, as_utc
from appliance.services.errors import Forbidden, InvalidInput, ServiceError, Unauthorized
from appliance.web.session_auth import session_actor

# Permission for endpoints any signed-in caller may use.
SIGNED_IN = "signed_in"


@dataclass
class Operation:
    """What the OpenAPI document says about one endpoint."""

    method: str
    rule: str
    summary: str
    tag: str
    permission: str | None
    body: type[BaseModel] | None = None
    query: type[BaseModel] | None = None
    response: type[BaseModel] | None = None
    status: int = 200
    conflicts: bool = False
    extra_errors: tuple = field(default_factory=tuple)
    # JSON schemas of path values the view checks itself (refused with 422); others are plain strings.
    path: dict = field(default_factory=dict)


class BadRequest(ServiceError):
    """Malformed request: not JSON, wrong content type."""

    status = 400
    code = "malformed"


class UnsupportedMediaType(ServiceError):
    """A body that is not application/json."""

    status = 415
    code = "unsupported_media_type"


def validation_error(exc: ValidationError, prefix: str = "") -> InvalidInput:
    """Turn pydantic's errors into InvalidInput naming each field."""
    fields = []
    for error in exc.errors(include_url=False):
        location = ".".join(str(part) for part in error["loc"]) or prefix or "body"
        fields.append((location, error["msg"]))
    return InvalidInput(*fields[0], *fields[1:])


@contextmanager
def fields_renamed(pattern: str, replacement: str):
    """Name fields as the request does when a use case labels them its own way (``re.sub`` on each)."""
    try:
        yield
    except InvalidInput as exc:
        fields = [(re.sub(pattern, replacement, name), reason) for name, reason in exc.fields]
        raise InvalidInput(*fields[0], *fields[1:]) from None


def instant(value, field: str, tz):
    """A request datetime as UTC: offsets are honoured, naive values read as salon wall-clock."""
    if value is None:
        return None
    try:
        return as_utc(value, tz)
    except LocalTimeError as exc:
        raise InvalidInput(field, str(exc)) from None
    except OverflowError:
        raise InvalidInput(field, "is out of range") from None


def _authenticate(permission: str | None):
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if not header and session.get("token"):
        actor = _session_actor()
    elif scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized("send 'Authorization: Bearer <token>' (POST /api/v1/auth/login gives one)")
    else:
        actor = actor_for_token(token.strip())
    if permission != SIGNED_IN and not allowed(actor.role, permission):
        raise Forbidden(f"the {actor.role} role may not do this ({permission})")
    g.actor = actor
    return actor


def _session_actor():
    """The web interface's signed-in user calling the API from its pages.

    A cookie is sent by the browser on its own, so every state-changing call
    must also carry the session's CSRF token in X-CSRF-Token.
    """
    if request.method not in ("GET", "HEAD"):
        sent = request.headers.get("X-CSRF-Token", "")
        if not sent or not secrets.compare_digest(sent, session.get("csrf", "")):
            raise Forbidden("missing or wrong X-CSRF-Token for a signed-in page")
    actor = session_actor()
    if actor is None:
        raise Unauthorized("the session has ended; sign in again")
    return actor


def _parse_body(model: type[BaseModel]) -> BaseModel:
    if not request.mimetype == "application/json":
        raise UnsupportedMediaType("send the body as application/json")
    raw = request.get_data(cache=False) or b""
    if b"NaN" in raw or b"Infinity" in raw:
        # By the letter of JSON: pydantic's parser (the same one) also takes NaN and Infinity, and
        # nothing else JSON refuses, so only a body with those words is parsed twice.
        _check_json_syntax(raw)
    try:
        # Strict: JSON types must match the document ("5" is not an integer, 1 is not a boolean).
        return model.model_validate_json(raw, strict=True)
    except ValidationError as exc:
        if any(e["type"] == "json_invalid" for e in exc.errors()):
            _check_json_syntax(raw)  # its message says where
            raise BadRequest("the body is not valid JSON") from None
        raise validation_error(exc) from None


def _check_json_syntax(raw: bytes) -> None:
    try:
        from_json(raw, allow_inf_nan=False)
    except ValueError as exc:
        raise BadRequest(f"the body is not valid JSON: {exc}") from None


def _parse_query(model: type[BaseModel]) -> BaseModel:
    known = {info.alias or name for name, info in model.model_fields.items()}
    unknown = sorted(set(request.args) - known)
    if unknown:
        reason = "unknown query parameter"
        raise InvalidInput(unknown[0], reason, *((key, reason) for key in unknown[1:]))
    data = {}
    for name, info in model.model_fields.items():
        key = info.alias or name
        values = request.args.getlist(key)
        if not values:
            continue
        data[key] = values if _is_list(info.annotation) else values[-1]
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise validation_error(exc) from None


def _is_list(annotation) -> bool:
    return getattr(annotation, "__origin__", None) is list or "list[" in str(annotation)


def _render(result, operation: Operation) -> Response:
    if operation.response is None:
        return Response(status=204)
    if not isinstance(result, operation.response):
        result = operation.response.model_validate(result)
    return Response(result.model_dump_json(), status=operation.status, mimetype="application/json")


def endpoint(blueprint, method: str, rule: str, *, summary: str, permission: str | None,
             body=None, query=None, response=None, status: int = 200, conflicts: bool = False,
             extra_errors: tuple = (), path: dict | None = None):
    """Register ``fn`` on ``blueprint`` as one API operation.

    The view receives path values, then ``body=`` and ``query=`` models when
    declared, and ``actor=`` for authenticated endpoints (permission None
    means public). It returns an instance of ``response`` (or data that
    validates as one), or None for 204. ``path`` gives the JSON schema of
    path values that are more than an opaque id (the view refuses others with 422).
    """
    def decorate(fn):
        operation = Operation(method, rule, summary, blueprint.name, permission, body, query, response,
                              status, conflicts, tuple(extra_errors), dict(path or {}))

        @functools.wraps(fn)
        def view(**path):
            kwargs = dict(path)
            if permission is not None:
                kwargs["actor"] = _authenticate(permission)
            if query is not None:
                kwargs["query"] = _parse_query(query)
            if body is not None:
                kwargs["body"] = _parse_body(body)
            return _render(fn(**kwargs), operation)

        view.operation = operation
        blueprint.add_url_rule(rule, endpoint=fn.__name__, view_func=view, methods=[method])
        return view

    return decorate
