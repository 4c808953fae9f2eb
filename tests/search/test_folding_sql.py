"""gz_fold (PostgreSQL) folds exactly as the Python folding, character by character."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from gazouillis.search.folding import LIGATURES, RANGES, fold
from gazouillis.storage import Database


def test_the_sql_function_folds_every_character_as_python_does(db: Database) -> None:
    if db.is_sqlite:
        pytest.skip("PostgreSQL's gz_fold (SQLite folds in FTS5's tokenizer)")
    # Every character of the folded ranges, the ligatures, and a few that are left as they are.
    chars = "".join(chr(c) for start, end in RANGES for c in range(start, end)) + "".join(LIGATURES)
    chars += "日本語 مرحبا 😀"
    samples = [chars[i : i + 120] for i in range(0, len(chars), 120)]
    samples += ["L'École — CAFÉ œuvre", "Straße, naïve façade… «ÇA»", "e\u0301cole"]
    with db.read() as session:
        for sample in samples:
            assert session.scalar(text("SELECT gz_fold(:s)"), {"s": sample}) == fold(sample), sample
