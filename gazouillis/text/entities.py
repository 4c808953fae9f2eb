"""The entities found in a post's text: mentions, lists, hashtags, cashtags and URLs."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

EntityKind = Literal["mention", "hashtag", "cashtag", "url"]

# Key used for the entity's text in twitter-text's dictionaries (and in the conformance suite).
_DICT_KEYS: dict[str, str] = {
    "mention": "screen_name",
    "hashtag": "hashtag",
    "cashtag": "cashtag",
    "url": "url",
}


@dataclass(frozen=True, slots=True)
class Entity:
    """One entity of a text.

    ``start`` and ``end`` are **code-point** offsets into the text that was passed in (Python string
    indices, end exclusive), so ``text[entity.start:entity.end]`` is the entity as written, sigil
    included: ``"@bob"``, ``"#tag"``, ``"$CASH"``, ``"https://example.com"``.

    ``text`` is the entity without its sigil: the screen name, hashtag or cashtag, or the URL.
    ``list_slug`` is only set by :func:`extract_mentioned_screen_names_or_lists_with_indices`: ``""``
    for a plain mention, ``"/slug"`` for a list such as ``@bob/friends``.
    """

    kind: EntityKind
    text: str
    start: int
    end: int
    list_slug: str | None = None

    @property
    def is_list(self) -> bool:
        """True for a list mention (``@owner/slug``)."""
        return bool(self.list_slug)

    def as_dict(self) -> dict[str, Any]:
        """The entity as twitter-text represents it, e.g. ``{"hashtag": "tag", "indices": [0, 4]}``."""
        result: dict[str, Any] = {_DICT_KEYS[self.kind]: self.text}
        if self.list_slug is not None:
            result["list_slug"] = self.list_slug
        result["indices"] = [self.start, self.end]
        return result


def remove_overlapping(entities: Iterable[Entity]) -> list[Entity]:
    """Sort entities by position and drop each one that overlaps an earlier kept one."""
    kept: list[Entity] = []
    for entity in sorted(entities, key=lambda e: e.start):
        if not kept or kept[-1].end <= entity.start:
            kept.append(entity)
    return kept
