"""The set of top-level domains that make ``label.tld`` look like a link.

The list lives in ``data/tlds.txt`` (see ``data/build_tlds.py`` for where it comes from and how to
regenerate it) and is read once, at import time.
"""

from __future__ import annotations

from importlib import resources


def _load() -> frozenset[str]:
    text = resources.files(__package__).joinpath("data", "tlds.txt").read_text(encoding="utf-8")
    return frozenset(
        line.strip().lower() for line in text.splitlines() if line.strip() and not line.startswith("#")
    )


TLDS: frozenset[str] = _load()
"""Lower-cased top-level domains, internationalised ones both in Unicode and ``xn--`` form."""
