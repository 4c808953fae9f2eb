"""Post texts for the benchmark data, with their HTML rendered without the text parser.

Rendering ten million posts with the twitter-text machinery would take longer than writing them, and
the writer already knows where every mention, hashtag and link is: it assembles the text and the HTML
side by side, markup for markup what :func:`gazouillis.text.render_html` produces (a test checks it).
"""

from __future__ import annotations

import html
import math
import random
from collections.abc import Sequence
from dataclasses import dataclass

from gazouillis.seeding.vocabulary import FRAGMENTS, HASHTAGS, LANGUAGES, LINK_PATHS
from gazouillis.text import normalize_hashtag

# Posts stay clear of the 280 limit: a URL weighs 23 however long it is, everything here weighs 1.
MAX_CHARS = 270
_LINK_SHOWN = 30  # characters of a link shown after "https://", as the renderer does


def _escape(value: str) -> str:
    return html.escape(value, quote=True)


@dataclass(frozen=True)
class Written:
    """One post's text, its HTML, and what it mentions and tags (indexes into the writer's lists)."""

    text: str
    html: str
    mentions: tuple[int, ...]
    tags: tuple[int, ...]


class TagSet:
    """The hashtags of the data set: ``names[i]`` (normalised, unique) and ``shown[i]`` as written."""

    def __init__(self) -> None:
        self.names: list[str] = []
        self.shown: list[str] = []
        self.by_language: dict[str, list[int]] = {}
        for lang in LANGUAGES:
            indexes = []
            for tag in HASHTAGS[lang]:
                name = normalize_hashtag(tag)
                if name not in self.names:
                    self.names.append(name)
                    self.shown.append(tag)
                indexes.append(self.names.index(name))
            self.by_language[lang] = indexes


class PostWriter:
    """Writes post texts in French or English, deterministically from the ``rng`` it is given."""

    def __init__(self, rng: random.Random, *, base_url: str, usernames: Sequence[str], tags: TagSet) -> None:
        self.rng = rng
        self.base = base_url.rstrip("/")
        self.usernames = usernames
        self.tags = tags
        # A long-tailed length law (median ~80 characters, a few posts near the limit), drawn from a table.
        self._lengths = [
            max(12, min(MAX_CHARS - 30, int(math.exp(rng.gauss(4.35, 0.55))))) for _ in range(4096)
        ]
        # Tag popularity: the first tags of each list are drawn far more often (Zipf, s = 1).
        self._tag_weights = {
            lang: _cumulative([1 / (r + 1) for r in range(len(idx))])
            for lang, idx in tags.by_language.items()
        }
        self._fragments = {lang: [(f, f[0].upper() + f[1:]) for f in FRAGMENTS[lang]] for lang in LANGUAGES}

    def write(
        self,
        lang: str,
        *,
        reply_to: int | None = None,
        mention: int | None = None,
        hashtags: int = 0,
        link: bool = False,
    ) -> Written:
        """A post in ``lang``; ``reply_to`` (an account index) opens it with a mention, as clients do."""
        rng = self.rng
        budget = self._lengths[rng.getrandbits(12)]
        texts: list[str] = []
        htmls: list[str] = []
        mentions: list[int] = []
        if reply_to is not None:
            self._mention(reply_to, texts, htmls, mentions)
            texts.append(" ")
            htmls.append(" ")
        fragments = self._fragments[lang]
        length, capital = 0, True
        while length < budget:
            plain, capitalised = fragments[rng.randrange(len(fragments))]
            piece = capitalised if capital else plain
            if length and length + len(piece) + 2 > budget + 20:
                break
            if length:
                sep = ". " if rng.random() < 0.4 else ", "
                if sep == ". ":
                    piece = capitalised
                texts.append(sep)
                htmls.append(sep)
            texts.append(piece)
            htmls.append(_escape(piece))
            length += len(piece) + 2
            capital = False
        if mention is not None and mention not in mentions:
            texts.append(" ")
            htmls.append(" ")
            self._mention(mention, texts, htmls, mentions)
        tags: list[int] = []
        if hashtags:
            chosen = rng.choices(self.tags.by_language[lang], cum_weights=self._tag_weights[lang], k=hashtags)
            for tag in dict.fromkeys(chosen):
                shown = self.tags.shown[tag]
                texts.append(" #" + shown)
                htmls.append(" " + _hashtag_html(shown, self.base))
                tags.append(tag)
        if link:
            url = f"https://example.org/{LINK_PATHS[rng.randrange(len(LINK_PATHS))]}/{rng.randrange(10**6)}"
            texts.append(" " + url)
            htmls.append(" " + _link_html(url))
        text = "".join(texts)
        if len(text) > MAX_CHARS:  # rare: a long draw plus extras; drop the extras rather than cut words
            return self.write(lang, reply_to=reply_to)
        return Written(
            text=text, html="<p>" + "".join(htmls) + "</p>", mentions=tuple(mentions), tags=tuple(tags)
        )

    def _mention(self, account: int, texts: list[str], htmls: list[str], mentions: list[int]) -> None:
        username = self.usernames[account]
        texts.append("@" + username)
        htmls.append(
            f'<span class="h-card" translate="no"><a href="{_escape(self.base)}/@{username}" '
            f'class="u-url mention">@<span>{username}</span></a></span>'
        )
        mentions.append(account)


def _cumulative(weights: list[float]) -> list[float]:
    total, out = 0.0, []
    for w in weights:
        total += w
        out.append(total)
    return out


def _hashtag_html(tag: str, base: str) -> str:
    href = f"{base}/tags/{tag.lower()}"
    return f'<a href="{_escape(href)}" class="mention hashtag" rel="tag">#<span>{_escape(tag)}</span></a>'


def _link_html(url: str) -> str:
    hidden = "https://"
    rest = url[len(hidden) :]
    shown, tail = rest[:_LINK_SHOWN], rest[_LINK_SHOWN:]
    return (
        f'<a href="{_escape(url)}" target="_blank" rel="nofollow noopener noreferrer" translate="no">'
        f'<span class="invisible">{hidden}</span>'
        f'<span class="{"ellipsis" if tail else ""}">{_escape(shown)}</span>'
        f'<span class="invisible">{_escape(tail)}</span></a>'
    )
