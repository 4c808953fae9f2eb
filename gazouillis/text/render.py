"""Turn the plain text a member wrote into the HTML of a status, as Mastodon's TextFormatter does."""

from __future__ import annotations

import html
from collections.abc import Callable

import regex

from .entities import Entity, remove_overlapping
from .extract import extract_hashtags_with_indices, extract_urls_with_indices
from .regexes import END_MENTION

MentionsResolver = Callable[[str], str | None]
"""Given ``"bob"`` or ``"bob@remote.example"`` (as typed), return the account's URL or ``None``."""

# Mastodon's mention syntax rather than twitter-text's: local usernames and remote ``user@domain``
# accounts, not glued to a word, "=" or "/" (so ``mail@example.com`` and URLs stay text).
_MENTION = regex.compile(
    r"(?<![=/\w])@(?P<acct>(?P<username>[a-z0-9_]+(?:[.\-]+[a-z0-9_]+)*)(?:@[\w.\-]+\w)?)",
    regex.IGNORECASE,
)
# The part of a link's text that is hidden: Mastodon shows "example.com/…", not "https://www.".
_URL_PREFIX = regex.compile(r"\Ahttps?://(?:www\.)?", regex.IGNORECASE)
_DISPLAYED_URL_LENGTH = 30
_PARAGRAPH_BREAK = regex.compile(r"\n{2,}")


def _escape(value: str) -> str:
    return html.escape(value, quote=True)


def _mentions(text: str) -> list[Entity]:
    return [
        Entity("mention", match.group("acct"), match.start(), match.end())
        for match in _MENTION.finditer(text)
        if not END_MENTION.match(text, match.end())
    ]


def _link_url(url: str) -> str:
    prefix = _URL_PREFIX.match(url)
    hidden = prefix.group() if prefix else ""
    rest = url[len(hidden) :]
    shown, tail = rest[:_DISPLAYED_URL_LENGTH], rest[_DISPLAYED_URL_LENGTH:]
    shown_class = "ellipsis" if tail else ""
    return (
        f'<a href="{_escape(url)}" target="_blank" rel="nofollow noopener noreferrer" translate="no">'
        f'<span class="invisible">{_escape(hidden)}</span>'
        f'<span class="{shown_class}">{_escape(shown)}</span>'
        f'<span class="invisible">{_escape(tail)}</span></a>'
    )


def _link_hashtag(tag: str, base_url: str) -> str:
    href = f"{base_url}/tags/{tag.lower()}"
    return f'<a href="{_escape(href)}" class="mention hashtag" rel="tag">#<span>{_escape(tag)}</span></a>'


def _link_mention(entity: Entity, written: str, resolver: MentionsResolver) -> str:
    account_url = resolver(entity.text)
    if not account_url:
        return _escape(written)
    username = entity.text.split("@", 1)[0]
    return (
        f'<span class="h-card" translate="no"><a href="{_escape(account_url)}" class="u-url mention">'
        f"@<span>{_escape(username)}</span></a></span>"
    )


def _paragraphs(body: str) -> str:
    """Blank lines separate paragraphs; a single newline is a line break."""
    paragraphs = (part.strip("\n") for part in _PARAGRAPH_BREAK.split(body))
    return "".join("<p>" + part.replace("\n", "<br />") + "</p>" for part in paragraphs if part)


def render_html(text: str, *, base_url: str, mentions_resolver: MentionsResolver) -> str:
    """Render a status written in plain text as safe HTML.

    Everything is HTML-escaped; then, as Mastodon does:

    * ``http(s)://`` URLs become links whose text hides the scheme (and ``www.``) and shows at most
      30 characters, with class ``ellipsis`` when cut. Bare domains such as ``example.com`` are left
      as text (Mastodon only links URLs that carry a scheme), and no other scheme is ever linked.
    * ``#tag`` links to ``{base_url}/tags/{tag lower-cased}``; the link text keeps the author's case.
    * ``@bob`` and ``@bob@remote.example`` become h-card links to the URL ``mentions_resolver``
      returns for ``"bob"``/``"bob@remote.example"``, shown as ``@bob``; they stay plain text when
      it returns ``None`` or ``""``. The resolver is called once per mention, in order, so callers can
      also use it to collect the mentioned accounts.
    * paragraphs (separated by blank lines) become ``<p>``, single newlines ``<br />``.

    An empty or blank text gives ``""``.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        return ""
    base_url = base_url.rstrip("/")
    # URLs first so that, at equal start, a URL wins over what it contains.
    entities = remove_overlapping(
        [
            *extract_urls_with_indices(text, extract_url_without_protocol=False),
            *_mentions(text),
            *extract_hashtags_with_indices(text, check_url_overlap=False),
        ]
    )
    out: list[str] = []
    position = 0
    for entity in entities:
        out.append(_escape(text[position : entity.start]))
        if entity.kind == "url":
            out.append(_link_url(entity.text))
        elif entity.kind == "hashtag":
            out.append(_link_hashtag(entity.text, base_url))
        else:
            out.append(_link_mention(entity, text[entity.start : entity.end], mentions_resolver))
        position = entity.end
    out.append(_escape(text[position:]))
    return _paragraphs("".join(out))
