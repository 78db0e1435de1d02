"""Every failure leaves the API as JSON: {"error": {"code", "message", "fields"?, "conflicts"?}}."""
import logging

from flask import Flask, Response, render_template, request
from pydantic import BaseModel, ConfigDict, Field
from werkzeug.exceptions import HTTPException

from appliance.services.errors import ServiceError

log = logging.getLogger(__name__)


class FieldError(BaseModel):
    """One field of the request and what is wrong with it."""

    field: str
    reason: str


class ConflictEntry(BaseModel):
    """One thing the request clashes with."""

    model_config = ConfigDict(populate_by_name=True)

    resource: str
    resource_id: str | None = None
    resource_name: str | None = None
    item: int | None = None
    occurrence: int | None = None
    reason: str | None = None
    with_: str | None = Field(default=None, alias="with")
    id: str | None = None
    field: str | None = None
    starts_at: str | None = None
    ends_at: str | None = None


class ErrorBody(BaseModel):
    """Machine-readable error."""

    code: str
    message: str
    fields: list[FieldError] | None = None
    conflicts: list[ConflictEntry] | None = None


class ErrorResponse(BaseModel):
    """The body of every 4xx and 5xx answer."""

    error: ErrorBody


def _error(status: int, body: dict):
    """JSON under /api/, a readable page elsewhere (the administrator's interface)."""
    if request.path.startswith("/api/"):
        return _json_error(status, body)
    return render_template("error.html", status=status, message=body.get("message", "")), status


def _json_error(status: int, body: dict) -> Response:
    conflicts = body.get("conflicts")
    if conflicts:
        body = {**body, "conflicts": [
            {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in c.items()} for c in conflicts]}
    payload = ErrorResponse(error=ErrorBody.model_validate(body))
    return Response(payload.model_dump_json(exclude_none=True, by_alias=True), status=status,
                    mimetype="application/json")


def register_error_handlers(app: Flask) -> None:
    """JSON errors for service failures, HTTP errors and anything unexpected."""

    @app.errorhandler(ServiceError)
    def service_error(exc: ServiceError):
        return _error(exc.status, exc.body())

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        code = (exc.name or "error").lower().replace(" ", "_")
        response = app.make_response(_error(exc.code or 500, {"code": code, "message": exc.description or exc.name}))
        # Keep the headers the HTTP error itself carries, e.g. Allow on a 405 (RFC 9110).
        for name, value in exc.get_headers():
            if name.lower() != "content-type":
                response.headers[name] = value
        return response

    @app.errorhandler(Exception)
    def unexpected(exc: Exception):
        log.exception("unhandled error")
        return _error(500, {"code": "internal_error", "message": "internal error; it has been logged"})
