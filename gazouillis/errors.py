"""Domain errors. Domain code raises these; the API maps them to HTTP and Mastodon's ``{"error": …}``."""

from __future__ import annotations


class DomainError(Exception):
    """Base of every error a domain function raises on purpose."""

    status = 400

    def __init__(self, message: str, *, details: dict[str, list[dict[str, str]]] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.details = details


class BadRequest(DomainError):
    """A parameter is missing or cannot be parsed."""

    status = 400


class Unauthorized(DomainError):
    """No valid credentials."""

    status = 401


class Forbidden(DomainError):
    """The caller is known but may not do this."""

    status = 403


class NotFound(DomainError):
    """Unknown record, or one the caller may not see (never reveal which)."""

    status = 404

    def __init__(self, message: str = "Record not found", **kwargs: object) -> None:
        super().__init__(message, **kwargs)  # type: ignore[arg-type]


class Invalid(DomainError):
    """Validation failed; nothing was changed."""

    status = 422


class Conflict(DomainError):
    """A concurrent change won; the client reads again and retries (Mastodon's marker 409)."""

    status = 409


class PayloadTooLarge(DomainError):
    """The request body is larger than the instance accepts."""

    status = 413


class RateLimited(DomainError):
    """Too many attempts in a short time."""

    status = 429
