"""Messages that domain code raises and pages show, listed so the translation catalog carries them.

Domain code stays free of gettext (it also speaks to the API, whose clients expect English); pages
translate what they show with ``page.gettext(message)``. ``N_`` only marks a string for extraction.
"""

from __future__ import annotations


def N_(message: str) -> str:  # noqa: N802  (the usual gettext marker name)
    return message


DOMAIN_MESSAGES = (
    N_("Password can't be blank"),
    N_("Password is too short (minimum is 8 characters)"),
    N_("Password is too long (maximum is 128 characters)"),
    N_("Password is too easy to guess"),
    N_("Password must not be your username"),
    N_("Password must not be your e-mail address"),
    N_("Current password is wrong"),
    N_("Your login is currently disabled"),
    N_("Your login is currently pending approval"),
    N_("You cannot follow yourself"),
    N_("This action is not allowed"),
    N_("This post cannot be quoted"),
    N_("Text contains characters that are not allowed"),
    N_("Record not found"),
    N_("The redirect URI included is not valid."),
    N_("Client authentication failed due to unknown client."),
    N_("The requested scope is invalid, unknown, or malformed."),
    N_("Only response_type=code is supported."),
)
