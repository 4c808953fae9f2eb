"""The TLD data file shipped with the package."""

from __future__ import annotations

from importlib import resources

import regex

from gazouillis.text.tlds import TLDS


def _lines() -> list[str]:
    return resources.files("gazouillis.text").joinpath("data", "tlds.txt").read_text("utf-8").splitlines()


def test_header_names_its_source() -> None:
    header = [line for line in _lines() if line.startswith("#")]
    assert any("build_tlds.py" in line for line in header)
    assert any("Public Suffix List" in line for line in header)


def test_one_lower_case_label_per_line_without_duplicates() -> None:
    entries = [line for line in _lines() if line and not line.startswith("#")]
    assert len(entries) == len(set(entries)) == len(TLDS)
    assert all(entry == entry.strip().lower() and "." not in entry for entry in entries)
    # tlds.py relies on this to find TLDs after dots.
    assert all(regex.fullmatch(r"[\p{L}\p{M}\p{N}\-]+", entry) for entry in entries)


def test_common_generic_country_and_internationalised_tlds() -> None:
    assert {"com", "org", "social", "fr", "jp", "uk", "みんな", "рф", "xn--p1ai"} <= TLDS
    assert not {"baz", "comm", "bz2", "localhost"} & TLDS
