"""The benchmark world in memory: accounts, a heavy-tailed follow graph, posts, reposts and likes.

Everything is held in compact arrays indexed by account or post position (a million accounts and ten
million posts fit in a few hundred megabytes), so that every counter can be computed before a single row
is written: rows go to the database once, complete.

Shapes worth knowing:

* **Popularity** is Zipf-like (s = 1) over a random ranking of the accounts: each follow draws its target
  from that law, so the first ranks are followed by most of the instance and the median account by a
  handful (10K accounts: a few accounts with 5K–10K followers, dozens around 1K, a median near 10).
* **Following** counts are log-normal (median ~18, mean ~30), capped.
* **Activity** is log-normal too, and the most popular accounts post more.
* **Replies** answer a recent post (often a popular one), so threads form, some of them deep;
  **reposts** pick recent public posts of popular authors; **likes** grow with the author's audience.
"""

from __future__ import annotations

import math
import random
from array import array
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TypeVar

from gazouillis.seeding.vocabulary import FIRST_NAMES, LANGUAGES, LAST_NAMES

PUBLIC, UNLISTED, PRIVATE = 0, 1, 2
VISIBILITY_NAMES = ("public", "unlisted", "private")
NONE = -1
# Recent posts a reply or a repost may pick from: conversations happen around what is new.
RECENT_WINDOW = 4096
MAX_FOLLOWING = 5000
T = TypeVar("T")
Progress = Callable[[Iterable[T], int, str], Iterable[T]]


def no_progress(items: Iterable[T], _total: int, _label: str) -> Iterable[T]:
    return items


@dataclass(frozen=True)
class Shape:
    """How big the world is and how its members behave."""

    accounts: int
    posts: int  # every row of the posts table: originals, replies and reposts
    mean_following: float = 30.0
    reply_share: float = 0.15
    repost_share: float = 0.10
    likes_per_post: float = 0.5


class World:
    """The generated instance. Positions (``0..n-1``, ``0..p-1``) stand for rows until they are written."""

    def __init__(self, shape: Shape, rng: random.Random) -> None:
        self.shape = shape
        self.rng = rng
        self.n = shape.accounts
        self.language = bytearray()  # index into LANGUAGES
        self.usernames: list[str] = []
        self.display_names: list[str] = []
        self.rank = array("i")  # popularity rank of each account (0 = most followed)
        # Follow graph, compressed rows: the accounts ``a`` follows are targets[offsets[a]:offsets[a + 1]].
        self.offsets = array("q", [0])
        self.targets = array("i")
        self.followers = array("i")
        # Posts, in time order; NONE where a reference is absent.
        self.author = array("i")
        self.parent = array("i")
        self.reblog_of = array("i")
        self.visibility = bytearray()
        self.replies = array("i")
        self.reblogs = array("i")
        self.likes_count = array("i")
        self.likers = array("i")  # likers of post 0, then of post 1…, ``likes_count[p]`` each
        self.statuses = array("i")
        self.last_post = array("i")

    @property
    def follow_count(self) -> int:
        return len(self.targets)

    @property
    def post_count(self) -> int:
        return len(self.author)

    def following(self, account: int) -> array[int]:
        return self.targets[self.offsets[account] : self.offsets[account + 1]]

    # -- accounts -------------------------------------------------------------------------------------

    def make_accounts(self) -> None:
        """Names, languages and a popularity ranking (a random permutation: fame is not seniority)."""
        rng = self.rng
        for i in range(self.n):
            lang = rng.randrange(2)
            first = FIRST_NAMES[LANGUAGES[lang]][rng.randrange(len(FIRST_NAMES[LANGUAGES[lang]]))]
            last = LAST_NAMES[LANGUAGES[lang]][rng.randrange(len(LAST_NAMES[LANGUAGES[lang]]))]
            self.language.append(lang)
            self.display_names.append(f"{first} {last}")
            # The position makes the name unique; ASCII only, as usernames must be.
            self.usernames.append(f"{_ascii(first)}_{_ascii(last)}{i}"[-30:])
        order = list(range(self.n))
        rng.shuffle(order)
        self.rank = array("i", bytes(4 * self.n))
        for r, account in enumerate(order):
            self.rank[account] = r
        self._by_rank = order

    # -- follow graph ---------------------------------------------------------------------------------

    def make_follows(self, progress: Progress[int] = no_progress) -> None:
        """Draw each account's followings from the Zipf popularity law (without repeats, never itself)."""
        rng, n = self.rng, self.n
        ranks = range(n)
        cum = _cumulative(1.0 / (r + 1) for r in range(n))
        by_rank = self._by_rank
        self.followers = array("i", bytes(4 * n))
        followers = self.followers
        cap = min(n - 1, MAX_FOLLOWING)
        sigma = 1.0
        mu = math.log(self.shape.mean_following) - sigma * sigma / 2
        for a in progress(range(n), n, "follows"):
            wanted = min(cap, int(rng.lognormvariate(mu, sigma)) + 1)
            drawn = rng.choices(ranks, cum_weights=cum, k=wanted + wanted // 4 + 2)
            chosen = dict.fromkeys(by_rank[r] for r in drawn)
            chosen.pop(a, None)
            picks = list(chosen)[:wanted]
            # Small worlds saturate the head of the law: top up with uniform draws, a bounded number of times.
            tries = 0
            while len(picks) < wanted and tries < 20 * wanted:
                tries += 1
                t = rng.randrange(n)
                if t != a and t not in chosen:
                    chosen[t] = None
                    picks.append(t)
            self.targets.extend(picks)
            self.offsets.append(len(self.targets))
            for t in picks:
                followers[t] += 1

    # -- posts ----------------------------------------------------------------------------------------

    def make_posts(self, progress: Progress[int] = no_progress) -> None:
        """Choose each post's author and kind, its parent or original, and its likes; count everything."""
        rng, n, shape = self.rng, self.n, self.shape
        total = shape.posts
        top = max(1, n // 100)
        activity = [math.exp(rng.gauss(0.0, 1.2)) * (3.0 if self.rank[a] < top else 1.0) for a in range(n)]
        authors = rng.choices(range(n), cum_weights=_cumulative(activity), k=total)
        self.statuses = array("i", bytes(4 * n))
        self.last_post = array("i", [NONE]) * n
        # Scale likes so the world has ~likes_per_post of them per post, more for wider audiences.
        audience = [math.sqrt(1 + self.followers[a]) for a in authors[: min(total, 10_000)]]
        like_scale = shape.likes_per_post / (sum(audience) / len(audience)) if audience else 0.0
        recent: list[int] = []  # public or unlisted originals and replies, newest last
        popular: list[int] = []  # the same, by the most followed accounts
        reposted: set[tuple[int, int]] = set()
        for p in progress(range(total), total, "posts"):
            a = authors[p]
            kind = rng.random()
            parent = reblog = NONE
            visibility = PUBLIC
            if kind < shape.repost_share and recent:
                pool = popular if popular and rng.random() < 0.7 else recent
                original = pool[rng.randrange(len(pool))]
                if self.author[original] != a and (a, original) not in reposted:
                    reposted.add((a, original))
                    reblog = original
            elif kind < shape.repost_share + shape.reply_share and recent:
                pool = popular if popular and rng.random() < 0.5 else recent
                parent = pool[rng.randrange(len(pool))]
            if reblog == NONE and parent == NONE:
                v = rng.random()
                visibility = PUBLIC if v < 0.88 else UNLISTED if v < 0.96 else PRIVATE
            self.author.append(a)
            self.parent.append(parent)
            self.reblog_of.append(reblog)
            self.visibility.append(visibility)
            self.replies.append(0)
            self.reblogs.append(0)
            self.statuses[a] += 1
            self.last_post[a] = p
            if reblog != NONE:
                self.reblogs[reblog] += 1
                self.likes_count.append(0)
                continue
            if parent != NONE:
                self.replies[parent] += 1
            if visibility == PRIVATE:  # only followers see it: leave its likes out rather than check
                self.likes_count.append(0)
            else:
                self._like(p, a, like_scale)
            if visibility != PRIVATE:
                recent.append(p)
                if len(recent) > RECENT_WINDOW:
                    del recent[: RECENT_WINDOW // 2]
                if self.rank[a] < top:
                    popular.append(p)
                    if len(popular) > RECENT_WINDOW:
                        del popular[: RECENT_WINDOW // 2]

    def _like(self, post: int, author: int, scale: float) -> None:
        rng = self.rng
        mean = scale * math.sqrt(1 + self.followers[author])
        wanted = min(self.n - 1, 1000, int(rng.expovariate(1.0 / mean) + 0.5)) if mean > 0 else 0
        chosen: dict[int, None] = {}
        for _ in range(wanted * 2):
            if len(chosen) == wanted:
                break
            liker = rng.randrange(self.n)
            if liker != author:
                chosen[liker] = None
        self.likers.extend(chosen)
        self.likes_count.append(len(chosen))

    # -- who the driver needs -------------------------------------------------------------------------

    def closest_author(self, followers: int, *, exclude: set[int]) -> int:
        """The account whose follower count is nearest ``followers``, preferring those who posted."""
        best, best_gap = 0, None
        for a in range(self.n):
            if a in exclude or self.statuses[a] == 0:
                continue
            gap = abs(self.followers[a] - followers)
            if best_gap is None or gap < best_gap:
                best, best_gap = a, gap
        return best

    def last_followers(self, authors: set[int]) -> dict[int, int]:
        """Each author's most recent follower (follows are written, and dated, in follower order)."""
        last: dict[int, int] = {}
        for a in range(self.n):
            for t in self.targets[self.offsets[a] : self.offsets[a + 1]]:
                if t in authors:
                    last[t] = a
        return last


def _cumulative(weights: Iterable[float]) -> list[float]:
    total, out = 0.0, []
    for w in weights:
        total += w
        out.append(total)
    return out


_ASCII = str.maketrans("éèêëàâäîïôöûüçÉÈÀ", "eeeeaaaiioouucEEA")


def _ascii(name: str) -> str:
    return name.translate(_ASCII).lower()
