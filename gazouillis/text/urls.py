"""Find URL-shaped spans in linear time, with exactly the semantics of twitter-text's URL expression.

The expression (``regexes.URL_SPECIFICATION``) is matched the way a backtracking engine scans:
leftmost start first; for a start, the longest chain of subdomains that still ends in
``domain-name.TLD``; then the optional port, path and query. Matching it directly is quadratic on
dotted or hyphenated runs, so this module computes the same answer from per-label tables:

* a domain lives in a *run* of domain characters, ``_``, ``-`` and ``.``; the run splits into labels
  at its dots, and a label can only end right before its dot, so each label matches in one way;
* a domain starting at position ``d`` of label ``k`` uses labels ``k..m`` and the TLD after label
  ``m``; the engine tries ``m`` from the largest down, so the answer is the last "good" label (valid
  as a domain name and followed by a TLD) before the first label that breaks the chain.

Each start is then answered in constant time. ``tests/text/test_urls_scan.py`` checks the agreement
with the expression on many generated texts.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from . import regexes as rx
from .tlds import tlds_after_dots

_NOT_A_LABEL_START = frozenset("_-.")  # inside a run, these are the non-domain characters


@dataclass(frozen=True, slots=True)
class UrlMatch:
    """One match of the URL expression; offsets are code points into the scanned text."""

    before: str  # the character consumed before the URL ("" at the start of the text)
    start: int
    end: int
    protocol: str | None
    domain_start: int
    domain_end: int
    has_path: bool


class _Chain:
    """Dot-separated labels of ``text[start:end]`` and, for each, the furthest domain it can begin.

    ``label_ok(k)`` says whether label ``k`` may sit inside a chain, ``good(k)`` whether the domain
    may end with label ``k`` and the TLD after its dot. Only labels followed by a dot are considered.
    """

    def __init__(self, text: str, start: int, end: int, tlds: dict[int, int]) -> None:
        self.text = text
        self.tlds = tlds
        self.starts = [start]
        self.ends: list[int] = []
        dot = text.find(".", start, end)
        while dot != -1:
            self.ends.append(dot)
            self.starts.append(dot + 1)
            dot = text.find(".", dot + 1, end)
        self.ends.append(end)

    def link(self, label_ok: Callable[[int], bool], good: Callable[[int], bool]) -> None:
        count = len(self.starts)
        ok = [k < count - 1 and label_ok(k) for k in range(count)]
        # breaks[k]: first label after k that is not ok (the last label, without a dot, never is).
        self.breaks = [count - 1] * count
        for k in range(count - 2, -1, -1):
            self.breaks[k] = k + 1 if not ok[k + 1] else self.breaks[k + 1]
        # last_good[k]: largest good label before k, or -1.
        self.last_good = [-1] * (count + 1)
        for k in range(count):
            self.last_good[k + 1] = k if ok[k] and good(k) else self.last_good[k]

    def label_of(self, position: int) -> int:
        return bisect_right(self.starts, position) - 1

    def furthest(self, k: int, first_label_ends_domain: bool) -> int | None:
        """End of the longest domain whose first label is (a suffix of) label ``k``, if any."""
        last = self.last_good[self.breaks[k]]
        if last <= k:
            dot = self.ends[k]
            if not (first_label_ends_domain and dot in self.tlds):
                return None
            last = k
        dot = self.ends[last]
        return dot + 1 + self.tlds[dot]


def _domain_chain(text: str, start: int, end: int, tlds: dict[int, int]) -> _Chain:
    chain = _Chain(text, start, end, tlds)
    starts, ends = chain.starts, chain.ends

    def label_ok(k: int) -> bool:  # a subdomain: starts and ends with a domain character
        return starts[k] < ends[k] and text[starts[k]] not in "_-" and text[ends[k] - 1] not in "_-"

    def good(k: int) -> bool:  # a domain name ("_" not allowed) followed by a TLD
        return ends[k] in tlds and "_" not in text[starts[k] : ends[k]]

    chain.link(label_ok, good)
    return chain


def _domain_end(chain: _Chain, d: int) -> int | None:
    """End of the domain starting at ``d`` (inside ``chain``), or ``None`` if none starts there."""
    text = chain.text
    if text[d] in _NOT_A_LABEL_START:
        return None
    k = chain.label_of(d)
    dot = chain.ends[k]
    if k == len(chain.starts) - 1 or text[dot - 1] in "_-":
        return None
    # Alone, the first label is the domain name, so it may not contain "_".
    return chain.furthest(k, first_label_ends_domain=text.rfind("_", d, dot) == -1)


def scan_urls(text: str) -> Iterator[UrlMatch]:
    """Successive matches of the URL expression in ``text``, as ``finditer`` would return them."""
    tlds = tlds_after_dots(text, 0, len(text))
    if not tlds:
        return
    dots = sorted(tlds)
    resume = 0  # no URL may start before this position
    index = 0
    while index < len(dots):
        # The run of domain characters around the next dot followed by a TLD.
        dot = dots[index]
        run_end = rx.DOMAIN_RUN.match(text, dot).end()
        before_dot = rx.DOMAIN_RUN_BACKWARDS.match(text, 0, dot)
        run_start = dot if before_dot is None else before_dot.start()
        index = bisect_left(dots, run_end, index)
        if run_end <= resume:
            continue  # already part of a URL
        chain = _domain_chain(text, run_start, run_end, tlds)
        for start, domain_start, protocol in _candidates(text, run_start, run_end, resume):
            if start < resume:
                continue  # inside the URL just found
            domain_end = _domain_end(chain, domain_start)
            if domain_end is None:
                continue
            tail = rx.URL_TAIL.match(text, domain_end)
            assert tail is not None  # every part of the tail is optional
            yield UrlMatch(
                before=text[start - 1] if start else "",
                start=start,
                end=tail.end(),
                protocol=protocol,
                domain_start=domain_start,
                domain_end=domain_end,
                has_path=tail.group("path") is not None,
            )
            # The next URL needs a preceding character of its own, after this one.
            resume = tail.end() + 1
            if resume > run_end:
                break


def _candidates(text: str, run_start: int, run_end: int, resume: int) -> list[tuple[int, int, str | None]]:
    """``(url start, domain start, protocol)`` in the order the engine tries them, from ``resume``."""
    candidates: list[tuple[int, int, str | None]] = []
    for length in (8, 7):  # "https://" or "http://" right before the run
        if run_start - length >= resume:
            protocol = rx.URL_PROTOCOL.fullmatch(text, run_start - length, run_start)
            if protocol is not None:
                if run_start == length or rx.URL_PRECEDING_CHAR.match(text, run_start - length - 1):
                    candidates.append((run_start - length, run_start, protocol.group()))
                break
    first = max(run_start, resume)
    if first == 0:
        candidates.append((0, 0, None))  # the start of the text needs no preceding character
    # Positions right after a character that may precede a URL.
    candidates.extend(
        (m.end(), m.end(), None) for m in rx.URL_PRECEDING_CHAR.finditer(text, max(first - 1, 0), run_end - 1)
    )
    # At the very start the engine first tries "character 0 precedes a URL at 1", then "URL at 0".
    if len(candidates) > 1 and candidates[0][0] == 0 and candidates[1][0] == 1:
        candidates[0], candidates[1] = candidates[1], candidates[0]
    return candidates


def ascii_domains(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Spans of the ASCII (and accented Latin) domains inside ``text[start:end]``, leftmost first.

    Same results as ``finditer`` of ``regexes.ASCII_DOMAIN_SPECIFICATION`` over that slice.
    """
    tlds = tlds_after_dots(text, start, end)
    if not tlds:
        return []
    chain = _Chain(text, start, end, tlds)
    starts, ends = chain.starts, chain.ends
    # last_bad[k]: last character of label k that cannot be part of an ASCII label (-1 if none).
    bad = [m.start() for m in rx.NOT_ASCII_LABEL_CHAR.finditer(text, start, end)]
    last_bad = [-1] * len(starts)
    for k, label_end in enumerate(ends):
        index = bisect_right(bad, label_end - 1) - 1
        if index >= 0 and bad[index] >= starts[k]:
            last_bad[k] = bad[index]
    chain.link(lambda k: starts[k] < ends[k] and last_bad[k] < starts[k], lambda k: ends[k] in tlds)

    found: list[tuple[int, int]] = []
    position = start
    for k in range(len(starts) - 1):
        begin = max(starts[k], last_bad[k] + 1, position)
        if begin >= ends[k]:
            continue
        domain_end = chain.furthest(k, first_label_ends_domain=True)
        if domain_end is not None:
            found.append((begin, domain_end))
            position = domain_end
    return found
