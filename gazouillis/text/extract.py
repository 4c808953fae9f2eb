"""Find mentions, lists, hashtags, cashtags and URLs in a post's text, following twitter-text.

All indices are code-point offsets (Python string indices); see :class:`~.entities.Entity`.
"""

from __future__ import annotations

import unicodedata

from . import regexes as rx
from .entities import Entity, remove_overlapping
from .urls import ascii_domains, scan_urls

MAX_URL_LENGTH = 4096
"""Longest URL (after IDNA-encoding its host) that is extracted."""

MAX_TCO_SLUG_LENGTH = 40
_DEFAULT_PROTOCOL_LENGTH = len("https://")


# --- Mentions -----------------------------------------------------------------------------------------


def extract_mentioned_screen_names_or_lists_with_indices(text: str) -> list[Entity]:
    """Mentions (``@bob``) and list mentions (``@bob/friends``) with their positions.

    Every returned entity has ``list_slug`` set: ``""`` for a mention, ``"/friends"`` for a list.
    A mention's span covers ``@bob``; a list's covers ``@bob/friends``.
    """
    if "@" not in text and "\uff20" not in text:
        return []
    entities: list[Entity] = []
    for match in rx.MENTION_OR_LIST.finditer(text):
        if rx.END_MENTION.match(text, match.end()):
            continue
        slug = match.group("slug") or ""
        entities.append(Entity("mention", match.group("name"), match.start("at"), match.end(), slug))
    return entities


def extract_mentions_with_indices(text: str) -> list[Entity]:
    """Mentions of single accounts (not lists) with their positions; ``list_slug`` is ``None``."""
    return [
        Entity("mention", e.text, e.start, e.end)
        for e in extract_mentioned_screen_names_or_lists_with_indices(text)
        if not e.list_slug
    ]


def extract_mentions(text: str) -> list[str]:
    """Screen names mentioned in ``text``, in order, without the ``@`` (lists are left out)."""
    return [e.text for e in extract_mentions_with_indices(text)]


def extract_reply_screen_name(text: str) -> str | None:
    """The screen name a post replies to: a mention at its very start (after spaces), else ``None``."""
    match = rx.REPLY.match(text)
    if match is None or rx.END_MENTION.match(text, match.end()):
        return None
    return match.group("name")


# --- URLs ---------------------------------------------------------------------------------------------


def _is_valid_domain(url_length: int, domain: str, has_protocol: bool) -> bool:
    """Whether ``domain`` survives IDNA encoding (labels of 1..63 octets) and keeps the URL short enough."""
    try:
        encoded = domain.encode("idna")
    except UnicodeError:
        return False
    url_length += max(0, len(encoded) - len(domain))
    if not has_protocol:
        url_length += _DEFAULT_PROTOCOL_LENGTH
    return url_length <= MAX_URL_LENGTH


def extract_urls_with_indices(text: str, extract_url_without_protocol: bool = True) -> list[Entity]:
    """URLs in ``text`` with their positions.

    A URL is an ``http://`` or ``https://`` link, or, when ``extract_url_without_protocol`` is true, a
    bare domain on a known TLD with an optional path (``example.com/page``). Bare domains are only
    taken in their ASCII (and accented Latin) form, so ``日本語example.com`` yields ``example.com``.
    """
    # Cheap early exit: every URL has a dot in its domain, and a protocol has a colon.
    if ("." if extract_url_without_protocol else ":") not in text:
        return []
    entities: list[Entity] = []
    for match in scan_urls(text):
        start, end = match.start, match.end
        url = text[start:end]
        domain = text[match.domain_start : match.domain_end]
        if match.protocol is None:
            if not extract_url_without_protocol or rx.INVALID_URL_WITHOUT_PROTOCOL_PRECEDING.search(
                match.before
            ):
                continue
            last: Entity | None = None
            for ascii_start, ascii_end in ascii_domains(text, match.domain_start, match.domain_end):
                if not _is_valid_domain(len(url), text[ascii_start:ascii_end], has_protocol=False):
                    continue
                last = Entity("url", text[ascii_start:ascii_end], ascii_start, ascii_end)
                entities.append(last)
            if last is not None and match.has_path:
                # The path belongs to the last domain: extend that entity to the end of the match.
                entities[-1] = Entity("url", last.text + url[len(domain) :], last.start, end)
            continue
        tco = rx.TCO_URL.match(url)
        if tco is not None:
            if len(tco.group("slug")) > MAX_TCO_SLUG_LENGTH:
                continue
            # Whatever follows a t.co slug is text glued to the link ("http://t.co/abc's").
            url = tco.group()
            end = start + len(url)
        if _is_valid_domain(len(url), domain, has_protocol=True):
            entities.append(Entity("url", url, start, end))
    return entities


def extract_urls(text: str) -> list[str]:
    """URLs in ``text``, with and without protocol, in order."""
    return [e.text for e in extract_urls_with_indices(text)]


# --- Hashtags and cashtags ----------------------------------------------------------------------------


def extract_hashtags_with_indices(text: str, check_url_overlap: bool = True) -> list[Entity]:
    """Hashtags with their positions; the span covers the ``#``, ``text`` excludes it.

    A hashtag needs at least one letter (``#2024`` is not one). With ``check_url_overlap`` hashtags
    that are part of a URL (``example.com/#anchor``) are dropped.
    """
    if "#" not in text and "\uff03" not in text:
        return []
    tags = [
        Entity("hashtag", match.group("tag"), match.start("hash"), match.end())
        for match in rx.HASHTAG.finditer(text)
        if not rx.END_HASHTAG.match(text, match.end())
    ]
    if check_url_overlap and tags:
        urls = extract_urls_with_indices(text)
        if urls:
            tags = [e for e in remove_overlapping([*tags, *urls]) if e.kind == "hashtag"]
    return tags


def extract_hashtags(text: str) -> list[str]:
    """Hashtags in ``text``, in order, without the ``#`` and in the author's spelling."""
    return [e.text for e in extract_hashtags_with_indices(text)]


def extract_cashtags_with_indices(text: str) -> list[Entity]:
    """Cashtags (``$TWTR``, ``$BRK.A``) with their positions; the span covers the ``$``."""
    if "$" not in text:
        return []
    return [
        Entity("cashtag", match.group("tag"), match.start("dollar"), match.end())
        for match in rx.CASHTAG.finditer(text)
    ]


def extract_cashtags(text: str) -> list[str]:
    """Cashtags in ``text``, in order, without the ``$``."""
    return [e.text for e in extract_cashtags_with_indices(text)]


def normalize_hashtag(name: str) -> str:
    """The form under which a hashtag is stored and looked up.

    ``#Café``, ``café`` and ``ＣＡＦÉ`` all give ``café``: a leading ``#``/``＃`` is dropped, then
    the name is NFKC-normalised and case-folded (and normalised again, as case folding can denormalise).
    """
    if name[:1] in ("#", "\uff03"):
        name = name[1:]
    return unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", name).casefold())
