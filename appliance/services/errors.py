"""Errors a use case raises; the API turns each into one HTTP status with a readable body."""


class ServiceError(Exception):
    """Base of every expected failure of a use case."""

    status = 400
    code = "bad_request"

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message

    def body(self) -> dict:
        """The machine-readable error body."""
        return {"code": self.code, "message": self.message}


class InvalidInput(ServiceError):
    """Input that is well-formed but breaks a rule; names each field and the reason."""

    status = 422
    code = "invalid"

    def __init__(self, field: str, reason: str, *more: tuple[str, str]):
        self.fields = [(field, reason), *more]
        super().__init__("; ".join(f"{f}: {r}" for f, r in self.fields))

    def body(self) -> dict:
        return {**super().body(), "fields": [{"field": f, "reason": r} for f, r in self.fields]}


class NotFound(ServiceError):
    """A referenced record does not exist (or is not visible to the caller)."""

    status = 404
    code = "not_found"

    def __init__(self, entity: str, entity_id: str, field: str | None = None):
        self.field = field
        super().__init__(f"{entity} {entity_id} not found")

    def body(self) -> dict:
        body = super().body()
        if self.field:
            body["fields"] = [{"field": self.field, "reason": self.message}]
        return body


class Conflict(ServiceError):
    """The request clashes with the current state: a double booking, a disallowed transition."""

    status = 409
    code = "conflict"

    def __init__(self, message: str, conflicts: list[dict] | None = None, code: str = "conflict"):
        super().__init__(message)
        self.code = code
        self.conflicts = conflicts or []

    def body(self) -> dict:
        return {**super().body(), "conflicts": self.conflicts}


class Forbidden(ServiceError):
    """The caller is known but its role may not do this."""

    status = 403
    code = "forbidden"


class Unauthorized(ServiceError):
    """No valid credentials."""

    status = 401
    code = "unauthorized"
