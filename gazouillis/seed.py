"""``gazouillis seed demo``: fill an empty instance with a small, living, bilingual community.

Twenty accounts of the imaginary town of Saint-Aubin (France) and its English twin town Riverside follow
each other unevenly, post in French and English, reply in threads, like, repost and bookmark. Everything
goes through the same domain functions the API uses, so the data obeys every rule of the service.
The choices are made by ``random.Random(42)``: two runs create the same community (ids and dates differ).
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

import gazouillis.timelines.fanout  # noqa: F401  (registers the fan-out job handlers)
from gazouillis.accounts.passwords import password_problem
from gazouillis.accounts.service import ProfileChanges, create_account, find_by_username, update_profile
from gazouillis.config import Settings
from gazouillis.errors import Invalid
from gazouillis.graph.service import authorize_request, follow
from gazouillis.jobs.queue import run_pending
from gazouillis.posts.interactions import bookmark, favourite, reblog
from gazouillis.posts.service import Draft, Rules, create_post
from gazouillis.seeding.demo_data import (
    ACCOUNTS,
    ACQUAINTANCES,
    ANSWERS,
    BOT_REPORTS,
    CONVERSATION_PACE,
    CONVERSATIONS,
    KIND_REPLIES,
    PENDING_REQUESTS,
    REPLIES,
    SPECIALS,
    THREAD_CHANCE,
    DemoAccount,
    Line,
    Special,
    weather_report,
)
from gazouillis.storage import Database
from gazouillis.timelines import feeds

SEED = 42
TARGET_POSTS = 300  # original posts, replies included (reposts come on top)
POSTS_PER_TRANSACTION = 50
MIN_FOLLOWING = 3
EMAIL_DOMAIN = "demo.example.org"


# Requests to the locked accounts that stay waiting, so their owners have something to answer.
@dataclass
class PostRef:
    """What the seeder remembers of a post it created."""

    id: int
    author: str
    visibility: str
    lang: str
    is_reply: bool


@dataclass
class Thread:
    """A conversation under way: its lines and the posts already made (the root is ``posted[0]``)."""

    lines: list[Line]
    posted: list[PostRef] = field(default_factory=list)
    offset: int = 0  # how many of ``posted`` came before ``lines`` (1 when answering an existing root)

    @property
    def done(self) -> bool:
        return len(self.posted) - self.offset >= len(self.lines)


@dataclass
class Counts:
    """What the seeder created, for the summary line."""

    accounts: int = 0
    posts: int = 0
    follows: int = 0
    requests: int = 0
    likes: int = 0
    reposts: int = 0
    bookmarks: int = 0

    def summary(self, password: str) -> str:
        return (
            f"seeded {self.accounts} accounts, {self.posts} posts, {self.follows} follows "
            f"({self.requests} pending requests), {self.likes} likes, {self.reposts} reposts, "
            f"{self.bookmarks} bookmarks; every demo account's password is '{password}'"
        )


class Seeder:
    """Creates the demo community; all randomness comes from one seeded generator."""

    def __init__(self, settings: Settings) -> None:
        self.rng = random.Random(SEED)
        self.rules = Rules(max_length=settings.max_post_length, base_url=settings.base_url)
        self.people = {a.username: a for a in ACCOUNTS}
        self.ids: dict[str, int] = {}
        self.follows: set[tuple[str, str]] = set()  # (follower, followed), accepted only
        self.posts: list[PostRef] = []
        self.decks = {a.username: self._deck(a) for a in ACCOUNTS}  # lines not said yet: (language, line)
        self.reports_left = BOT_REPORTS
        self.counts = Counts()
        self.session: Session | None = None

    # --- accounts and follows ------------------------------------------------------------------------

    def create_accounts(self, session: Session, password: str) -> None:
        for person in ACCOUNTS:
            account = create_account(
                session,
                username=person.username,
                email=f"{person.username}@{EMAIL_DOMAIN}",
                password=password,
                locale=person.langs[0],
            )
            update_profile(
                session,
                account,
                ProfileChanges(
                    display_name=person.display_name,
                    note=person.note,
                    website=person.website,
                    locked=person.locked,
                    bot=person.bot,
                    default_language=person.langs[0],
                    default_visibility="private" if person.locked else "public",
                ),
            )
            self.ids[person.username] = account.id
            self.counts.accounts += 1

    def create_follows(self, session: Session) -> None:
        """Popular accounts get most followers; people follow more in their own language."""
        wanted: list[tuple[str, str]] = []
        for reader in ACCOUNTS:
            if reader.bot:
                continue
            chosen = [
                t for t in ACCOUNTS if t is not reader and self.rng.random() < self._follow_chance(reader, t)
            ]
            if len(chosen) < MIN_FOLLOWING:
                popular = sorted(
                    (t for t in ACCOUNTS if t is not reader and t not in chosen),
                    key=lambda t: -self._follow_chance(reader, t),
                )
                chosen += popular[: MIN_FOLLOWING - len(chosen)]
            wanted += [(reader.username, t.username) for t in chosen]
        wanted += ACQUAINTANCES + PENDING_REQUESTS
        for reader, target in dict.fromkeys(wanted):  # without repeats, in order
            follow(session, follower_id=self.ids[reader], target_id=self.ids[target])
            if (reader, target) in PENDING_REQUESTS:
                self.counts.requests += 1
                continue
            if self.people[target].locked:
                authorize_request(session, target_id=self.ids[target], requester_id=self.ids[reader])
            self.follows.add((reader, target))
        self.counts.follows = len(self.follows)

    @staticmethod
    def _follow_chance(reader: DemoAccount, target: DemoAccount) -> float:
        shared = bool(set(reader.langs) & set(target.langs))
        return min(0.95, target.popularity * (1.0 if shared else 0.45))

    # --- posts ---------------------------------------------------------------------------------------

    def create_posts(self, db: Database) -> None:
        """Roots, conversations and special posts, interleaved, until TARGET_POSTS are written.

        Conversations still open by then are carried to their end, so the total may be a little higher.
        """
        threads: list[Thread] = []
        events = self._spread_events()
        while self.counts.posts < TARGET_POSTS or threads:
            with self._batch(db):
                for _ in range(POSTS_PER_TRANSACTION):
                    if self.counts.posts >= TARGET_POSTS and not threads:
                        break
                    self._step(threads, events)
                    threads[:] = [t for t in threads if not t.done]

    def _step(self, threads: list[Thread], events: dict[int, Special | tuple[Line, ...]]) -> None:
        """Write exactly one post: a due event, the next line of a conversation, or a new root."""
        due = events.pop(self.counts.posts, None)
        if isinstance(due, Special):
            self._post_special(due)
        elif due is not None:
            threads.append(Thread(list(due)))
            self._advance(threads[-1])
        elif threads and (self.counts.posts >= TARGET_POSTS or self.rng.random() < CONVERSATION_PACE):
            self._advance(self.rng.choice(threads))
        elif any(self._weight(a) for a in ACCOUNTS):
            root = self._post_root()
            if self._conversable(root) and self.rng.random() < THREAD_CHANCE:
                threads.append(self._generic_thread(root))
        else:  # everyone has said everything: late answers to older posts
            older = [p for p in self.posts if self._conversable(p)]
            threads.append(self._generic_thread(self.rng.choice(older)))
            self._advance(threads[-1])

    def _conversable(self, post: PostRef) -> bool:
        """Whether a post may start a conversation: public, not itself an answer, not the bot's."""
        public = post.visibility in ("public", "unlisted")
        return public and not post.is_reply and not self.people[post.author].bot

    def _spread_events(self) -> dict[int, Special | tuple[Line, ...]]:
        """Scripted conversations and special posts, due at evenly spaced post counts."""
        events: list[Special | tuple[Line, ...]] = []
        for i in range(max(len(CONVERSATIONS), len(SPECIALS))):
            events += CONVERSATIONS[i : i + 1]
            events += SPECIALS[i : i + 1]
        step = TARGET_POSTS // (len(events) + 1)
        return {step * (i + 1): event for i, event in enumerate(events)}

    @contextmanager
    def _batch(self, db: Database) -> Iterator[None]:
        with db.write() as session:
            self.session = session
            try:
                yield
            finally:
                self.session = None

    @property
    def db_session(self) -> Session:
        assert self.session is not None, "posts are only written inside a batch"
        return self.session

    def _post_root(self) -> PostRef:
        person = self.rng.choices(ACCOUNTS, weights=[self._weight(a) for a in ACCOUNTS])[0]
        if person.bot:
            lang, body = "fr", weather_report(self.rng)
            self.reports_left -= 1
        else:
            lang, line = self._draw(person)
            body = self._fill(line, person)
        return self._post(person.username, lang, body, visibility=self._root_visibility(person))

    def _weight(self, person: DemoAccount) -> int:
        """How likely ``person`` is to write the next post: what they still have to say."""
        return self.reports_left if person.bot else len(self.decks[person.username])

    def _draw(self, person: DemoAccount) -> tuple[str, str]:
        """The account's next (language, line); no line is said twice."""
        return self.decks[person.username].pop()

    def _deck(self, person: DemoAccount) -> list[tuple[str, str]]:
        deck = [(lang, line) for lang, lines in person.lines.items() for line in lines]
        self.rng.shuffle(deck)
        return deck

    def _fill(self, template: str, person: DemoAccount) -> str:
        people = [a.username for a in ACCOUNTS if a.kind == "person" and a is not person]
        friends = [t for (r, t) in sorted(self.follows) if r == person.username and t in people]
        friend = self.rng.choice(friends or people)
        return template.replace("{friend}", f"@{friend}").replace("{n}", str(self.rng.randint(2, 40)))

    def _root_visibility(self, person: DemoAccount) -> str:
        roll = self.rng.random()
        if person.locked:
            return "private" if roll < 0.6 else "public"
        if person.bot:
            return "public"
        return "private" if roll < 0.03 else "unlisted" if roll < 0.1 else "public"

    def _generic_thread(self, root: PostRef) -> Thread:
        """One or two people answering ``root`` and its author answering back (1 to 4 replies)."""
        author = self.people[root.author]
        speakers = [
            a.username for a in ACCOUNTS if root.lang in a.langs and not (a.bot or a.locked or a is author)
        ]
        remarks = self.rng.sample(REPLIES[root.lang] + KIND_REPLIES.get((author.kind, root.lang), ()), 2)
        answers = self.rng.sample(ANSWERS[root.lang], 2)
        first, other = self.rng.choice(speakers), self.rng.choice(speakers)  # the same one, sometimes
        me = author.username
        turns = [(first, remarks[0]), (me, answers[0]), (other, remarks[1]), (me, answers[1])]
        count = self.rng.randint(1, 4)
        lines = [Line(who, root.lang, said, reply_to=i) for i, (who, said) in enumerate(turns[:count])]
        return Thread(lines, posted=[root], offset=1)

    def _advance(self, thread: Thread) -> None:
        index = len(thread.posted) - thread.offset
        line = thread.lines[index]
        parent = thread.posted[line.reply_to] if line.reply_to is not None else None
        text = line.text
        if parent is not None and parent.author != line.username and not text.startswith("@"):
            text = f"@{parent.author} {text}"
        visibility = "unlisted" if parent is not None and self.rng.random() < 0.15 else "public"
        ref = self._post(line.username, line.lang, text, visibility=visibility, reply_to=parent)
        thread.posted.append(ref)

    def _post_special(self, special: Special) -> None:
        quoted = None
        if special.quote_of:
            candidates = [p for p in self.posts if p.author == special.quote_of and p.visibility == "public"]
            quoted = candidates[-1] if candidates else None
        self._post(
            special.username,
            special.lang,
            special.text,
            visibility=special.visibility,
            spoiler=special.spoiler,
            quote=quoted,
        )

    def _post(
        self,
        username: str,
        lang: str,
        text: str,
        *,
        visibility: str,
        reply_to: PostRef | None = None,
        spoiler: str = "",
        quote: PostRef | None = None,
    ) -> PostRef:
        draft = Draft(
            text,
            visibility=visibility,
            spoiler_text=spoiler,
            language=lang,
            in_reply_to_id=reply_to.id if reply_to else None,
            quote_of_id=quote.id if quote else None,
        )
        post = create_post(self.db_session, author_id=self.ids[username], draft=draft, rules=self.rules)
        ref = PostRef(post.id, username, visibility, lang, is_reply=reply_to is not None)
        self.posts.append(ref)
        self.counts.posts += 1
        self._react(ref)
        return ref

    # --- likes, reposts, bookmarks ---------------------------------------------------------------------

    def _react(self, post: PostRef) -> None:
        """Others like, repost and bookmark a new post, more so when its author is popular."""
        if post.visibility == "direct":
            return
        session = self.db_session
        author = self.people[post.author]
        public = post.visibility in ("public", "unlisted")
        viewers = [
            a.username
            for a in ACCOUNTS
            if a is not author and not a.bot and (public or (a.username, post.author) in self.follows)
        ]
        damp = 0.5 if post.is_reply else 1.0
        for who in viewers:
            follower = (who, post.author) in self.follows
            if self.rng.random() < damp * (0.01 + 0.15 * author.popularity * (1.6 if follower else 0.4)):
                favourite(session, viewer_id=self.ids[who], post_id=post.id)
                self.counts.likes += 1
            shareable = public and follower and not post.is_reply
            if shareable and self.rng.random() < 0.03 * (0.5 + author.popularity):
                reblog(session, viewer_id=self.ids[who], post_id=post.id)
                self.counts.reposts += 1
        if viewers and self.rng.random() < 0.08:
            bookmark(session, viewer_id=self.ids[self.rng.choice(viewers)], post_id=post.id)
            self.counts.bookmarks += 1


def seed_demo(db: Database, settings: Settings, *, password: str) -> str:
    """Create the demo community (once) and fill the home feeds; returns a one-line summary.

    Raises Invalid, before changing anything, when ``password`` would be refused for a demo account.
    """
    first = ACCOUNTS[0].username
    with db.read() as session:
        if find_by_username(session, first) is not None:
            return f"the demo data is already there (@{first} exists); nothing was changed"
    for person in ACCOUNTS:
        problem = password_problem(
            password, username=person.username, email=f"{person.username}@{EMAIL_DOMAIN}"
        )
        if problem:
            raise Invalid(f"The demo password is not accepted: {problem}")
    feeds.ensure_attached(db, settings)
    seeder = Seeder(settings)
    with db.write() as session:
        seeder.create_accounts(session, password)
        seeder.create_follows(session)
    seeder.create_posts(db)
    run_pending(db)
    return seeder.counts.summary(password)
