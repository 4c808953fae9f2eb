"""The search query language, parsed into a :class:`Query` the back-ends turn into SQL.

    ecole "exact phrase" -word -"two words" from:alice #tag -#tag since:2024-01-31 until:2024-02-29

Plain words must all match (the last one as a prefix, for search-as-you-type); a quoted phrase must
appear as is (an unclosed quote runs to the end); ``-`` excludes a word, a phrase, a hashtag or an
author; ``since:``/``until:`` are inclusive UTC days. Everything is folded (case, accents, ligatures):
see :mod:`gazouillis.search.folding`. A malformed operator raises :class:`Invalid` naming it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from gazouillis.errors import Invalid
from gazouillis.search.folding import words
from gazouillis.text import normalize_hashtag

MAX_QUERY = 500
# An optional "-", then a quoted phrase (closed or running to the end), or a run of non-spaces.
_TOKEN = re.compile(r'(-?)(?:"([^"]*)(?:"|$)|(\S+))')
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


class QueryError(Invalid):
    """A malformed query: ``code`` says what is wrong, ``operator``/``value`` where (pages translate it)."""

    def __init__(self, message: str, *, code: str, operator: str = "", value: str = "") -> None:
        super().__init__(message)
        self.code = code
        self.operator = operator
        self.value = value


@dataclass
class Query:
    """A parsed query: folded words and phrases, operators resolved to plain values."""

    words: list[str] = field(default_factory=list)
    # The last plain word is matched as a prefix (the query did not end with a space).
    prefix: bool = False
    phrases: list[list[str]] = field(default_factory=list)
    excluded: list[list[str]] = field(default_factory=list)
    authors: list[str] = field(default_factory=list)
    excluded_authors: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    excluded_tags: list[str] = field(default_factory=list)
    since: datetime | None = None
    until: datetime | None = None  # exclusive: the start of the day after the one asked for

    @property
    def has_text(self) -> bool:
        return bool(self.words or self.phrases)

    @property
    def is_empty(self) -> bool:
        return not (
            self.has_text
            or self.excluded
            or self.authors
            or self.excluded_authors
            or self.tags
            or self.excluded_tags
            or self.since
            or self.until
        )

    @property
    def highlights(self) -> list[str]:
        """Folded terms to mark in the results (prefixes: a term marks every word starting with it)."""
        terms = [
            *self.words,
            *(w for p in self.phrases for w in p),
            *(w for t in self.tags for w in words(t)),
        ]
        return list(dict.fromkeys(terms))


def _day(operator: str, value: str) -> date:
    if not _DAY.fullmatch(value):
        raise QueryError(
            f"{operator}: expects a date as YYYY-MM-DD, not “{value}”",
            code="format",
            operator=operator,
            value=value,
        )
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise QueryError(
            f"{operator}: “{value}” is not a real date", code="date", operator=operator, value=value
        ) from exc


def _username(value: str) -> str:
    """``@alice``, ``alice`` or ``alice@our.domain``: the username part, case-folded."""
    return value.lstrip("@").split("@", 1)[0].lower()


def parse(raw: str) -> Query:
    """Parse ``raw`` (see the module's docstring); raise :class:`Invalid` for a malformed operator."""
    if len(raw) > MAX_QUERY:
        raise QueryError(f"The query is too long (at most {MAX_QUERY} characters)", code="length")
    query = Query()
    last_plain = False
    for match in _TOKEN.finditer(raw):
        negated, phrase, token = match.group(1) == "-", match.group(2), match.group(3)
        last_plain = False
        if phrase is not None:
            folded = words(phrase)
            if folded:
                (query.excluded if negated else query.phrases).append(folded)
            continue
        lower = token.lower()
        operator, colon, value = lower.partition(":")
        if operator in ("from", "since", "until") and colon:
            if not value:
                raise QueryError(
                    f"{operator}: needs a value (e.g. {EXAMPLES[operator]})", code="empty", operator=operator
                )
            if operator == "from":
                name = _username(value)
                if not name:
                    raise QueryError(
                        f"from: needs a username (e.g. {EXAMPLES['from']})", code="empty", operator="from"
                    )
                (query.excluded_authors if negated else query.authors).append(name)
            elif negated:
                raise QueryError(
                    f"-{operator}: cannot be excluded (use since: or until:)",
                    code="negated",
                    operator=operator,
                )
            else:
                day = _day(operator, value)
                start = datetime.combine(day, time(), tzinfo=UTC)
                if operator == "since":
                    query.since = start
                else:
                    query.until = start + timedelta(days=1)
            continue
        if token[:1] in ("#", "\uff03"):
            name = normalize_hashtag(token)
            if name:
                (query.excluded_tags if negated else query.tags).append(name)
            continue
        folded = words(token)
        if not folded:
            continue
        if negated:
            query.excluded.append(folded)
        else:
            query.words.extend(folded)
            last_plain = True
    query.prefix = last_plain and not raw[-1:].isspace()
    if query.since and query.until and query.since >= query.until:
        raise QueryError("since: is later than until:, so nothing can match", code="order")
    return query


EXAMPLES = {"from": "from:alice", "since": "since:2024-01-31", "until": "until:2024-12-31"}
