"""The trend formulas, as pure functions (no database): what "trending" means here.

**Hashtags** are compared with their own usual level, not with each other's totals, so a hashtag that is
always busy does not trend for being busy, and a new one does when several people take it up at once::

    expected = baseline_per_hour × window_hours
    score    = (recent − expected) / √(expected + PRIOR)      when recent ≥ MIN_ACCOUNTS, else 0

``recent`` is the number of distinct accounts that used the tag in the last ``window_hours`` (6),
``baseline_per_hour`` its hourly average of distinct accounts over the 7 days before. This is a
z-score-like surprise: the excess over what was expected, in units of the Poisson noise of what was
expected. ``PRIOR`` (smoothing) keeps a tag never seen before from dividing by zero and from scoring
sky-high on one use; ``MIN_ACCOUNTS`` keeps a tag used by a single person out altogether.

**Posts** (public, of the last day) rank by engagement, decaying with age (the "gravity" of Hacker News)::

    score = engaged_accounts / (age_hours + 2) ** GRAVITY        when engaged_accounts ≥ MIN_ENGAGED

``engaged_accounts`` counts distinct accounts (other than the author) that liked, reposted or replied.
"""

from __future__ import annotations

import math

WINDOW_HOURS = 6
BASELINE_HOURS = 7 * 24
PRIOR = 1.0
MIN_ACCOUNTS = 2

GRAVITY = 1.5
MIN_ENGAGED = 1
POST_WINDOW_HOURS = 24


def tag_score(recent_accounts: int, baseline_per_hour: float, *, window_hours: float = WINDOW_HOURS) -> float:
    """How surprising ``recent_accounts`` distinct users in the last window are for a tag whose usual
    level is ``baseline_per_hour`` distinct users an hour; 0 when it is not trending at all."""
    if recent_accounts < MIN_ACCOUNTS:
        return 0.0
    expected = max(baseline_per_hour, 0.0) * window_hours
    excess = recent_accounts - expected
    if excess <= 0:
        return 0.0
    return excess / math.sqrt(expected + PRIOR)


def post_score(engaged_accounts: int, age_hours: float) -> float:
    """The trend score of a post with ``engaged_accounts`` distinct engaged accounts, ``age_hours`` old."""
    if engaged_accounts < MIN_ENGAGED:
        return 0.0
    return engaged_accounts / (max(age_hours, 0.0) + 2.0) ** GRAVITY
