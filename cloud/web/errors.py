"""Errors on the head-office pages: a readable page in the user's language, never a stack trace."""
import logging

from flask import Flask, render_template
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException, InternalServerError

log = logging.getLogger(__name__)


def _message(status: int, description: str | None) -> str:
    if status == 400 and description == "csrf":
        return _("The form has expired; reload the page and try again.")
    if status == 413:
        return _("What was sent is too large.")
    return ""


def register_error_handlers(app: Flask) -> None:
    """HTTP errors and anything unexpected as the error page."""

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        status = exc.code or 500
        response = app.make_response((render_template("error.html", status=status,
                                                      message=_message(status, exc.description)), status))
        if status == 405 and exc.valid_methods:
            response.headers["Allow"] = ", ".join(exc.valid_methods)
        return response

    @app.errorhandler(Exception)
    def unexpected(exc: Exception):
        if isinstance(exc, HTTPException):
            return http_error(exc)
        if app.testing:
            raise exc  # tests see the real failure, not the page
        log.exception("unhandled error")
        return http_error(InternalServerError())
