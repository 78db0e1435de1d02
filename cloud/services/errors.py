"""How the cloud's use cases refuse: machine-readable codes the web layer puts into the user's language."""


class ServiceError(Exception):
    """A use case refused; ``code`` says why."""

    code = "error"

    def __init__(self, message: str = ""):
        super().__init__(message or self.code)
        self.message = message or self.code


class InvalidInput(ServiceError):
    """One or more fields are wrong: ``fields`` maps a field name to (reason code, parameters)."""

    code = "invalid"

    def __init__(self, fields: dict[str, tuple[str, dict]]):
        super().__init__(", ".join(f"{name}: {reason}" for name, (reason, _) in fields.items()))
        self.fields = fields


class NotFound(ServiceError):
    """The row named does not exist (or not where it was looked for)."""

    code = "not_found"


class Refused(ServiceError):
    """The change is well-formed but not allowed in this state (e.g. removing the last owner)."""

    code = "refused"

    def __init__(self, reason: str, field: str | None = None):
        super().__init__(reason)
        self.reason, self.field = reason, field


class Errors:
    """Collects field errors while a use case checks its input; ``raise_if_any()`` at the end."""

    def __init__(self):
        self.fields: dict[str, tuple[str, dict]] = {}

    def add(self, field: str, reason: str, **params) -> None:
        """Note ``reason`` on ``field``; the first reason per field wins."""
        self.fields.setdefault(field, (reason, params))

    def __contains__(self, field: str) -> bool:
        return field in self.fields

    def raise_if_any(self) -> None:
        """InvalidInput with every field noted, if there is one."""
        if self.fields:
            raise InvalidInput(dict(self.fields))
