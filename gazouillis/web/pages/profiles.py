"""Profiles: an account's posts (without or with replies; its likes, for the owner only), its followers,
the accounts it follows, and the follow button."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from markupsafe import Markup
from sqlalchemy.orm import Session
from starlette.responses import Response

from gazouillis.accounts import service as accounts
from gazouillis.accounts.profiles import note_html
from gazouillis.accounts.tables import Account
from gazouillis.errors import NotFound
from gazouillis.graph import service as graph
from gazouillis.lists import service as lists
from gazouillis.posts import pins
from gazouillis.tags.featured import featured_tags
from gazouillis.timelines import service as timelines
from gazouillis.web.context import Page
from gazouillis.web.pages.listing import accounts_response, posts_response, relationships_with
from gazouillis.web.pages.timelines import cursor


def _account(session: Session, page: Page) -> Account:
    found = accounts.find_by_username(session, page.request.path_params["username"])
    if found is None:
        raise NotFound()
    return found


def _head(page: Page, session: Session, account: Account) -> dict[str, Any]:
    """What the top of every profile page shows: the account, its bio and where the viewer stands."""
    relationship = None
    if page.viewer is not None and page.viewer.id != account.id:
        relationship = graph.relationships(session, viewer_id=page.viewer.id, ids=[account.id])[0]
    # The viewer's lists, each with whether it holds this account: offered for accounts they follow.
    list_choices = []
    if relationship is not None and relationship.following and page.viewer is not None:
        found = lists.lists_containing(session, owner_id=page.viewer.id, account_id=account.id)
        holding = {r.id for r in found}
        list_choices = [(r, r.id in holding) for r in lists.lists_of(session, owner_id=page.viewer.id)]
    bio = ""
    if account.note:
        # render_html escapes everything and only adds its own links: safe to show as HTML.
        bio = note_html(account.note, page.settings.base_url)
    return {
        "account": account,
        "relationship": relationship,
        "bio": Markup(bio),
        "is_owner": page.viewer_id == account.id,
        "list_choices": list_choices,
        "featured_tags": featured_tags(session, account.id),
    }


def _posts(page: Page, tab: str) -> Response:
    with page.db.read() as session:
        account = _account(session, page)
        head = _head(page, session, account)
        if tab == "likes":
            # What someone liked is theirs to see only (as on Mastodon); others are told there is no page.
            if page.viewer_id != account.id:
                raise NotFound()
            views, cursors = timelines.favourites(session, viewer_id=account.id, page=cursor(page))
        else:
            views = timelines.account_posts(
                session,
                viewer_id=page.viewer_id,
                account_id=account.id,
                page=cursor(page),
                exclude_replies=tab == "posts",
            )
            cursors = [v.post.id for v in views]
        # Pinned posts head the first page of the posts tab.
        pinned = []
        if tab == "posts" and "max_id" not in page.request.query_params:
            pinned = pins.pinned_posts(session, account_id=account.id, viewer_id=page.viewer_id)
    empty = {
        "posts": page.gettext("No posts yet."),
        "with_replies": page.gettext("No posts or replies yet."),
        "likes": page.gettext("You have not liked any post yet."),
    }[tab]
    return posts_response(
        page, "profile.html", views, cursors, tab=tab, empty_message=empty, pinned=pinned, **head
    )


def posts(page: Page) -> Response:
    return _posts(page, "posts")


def with_replies(page: Page) -> Response:
    return _posts(page, "with_replies")


def likes(page: Page) -> Response:
    return _posts(page, "likes")


def _people(page: Page, tab: str) -> Response:
    lister = graph.followers if tab == "followers" else graph.following
    with page.db.read() as session:
        account = _account(session, page)
        head = _head(page, session, account)
        people, cursors = lister(session, account_id=account.id, page=cursor(page))
        relationships = relationships_with(page, session, people)
    name = account.display_name or account.username
    if tab == "followers":
        heading = page.gettext("People who follow %(name)s", name=name)
        empty = page.gettext("Nobody follows this account yet.")
    else:
        heading = page.gettext("People %(name)s follows", name=name)
        empty = page.gettext("This account does not follow anybody yet.")
    return accounts_response(
        page,
        "people.html",
        "_people_rows.html",
        people,
        cursors,
        relationships=relationships,
        tab=tab,
        heading=heading,
        empty_message=empty,
        **head,
    )


def followers(page: Page) -> Response:
    return _people(page, "followers")


def following(page: Page) -> Response:
    return _people(page, "following")


def _change(page: Page, change: Callable[..., graph.Relationship]) -> Response:
    assert page.viewer is not None
    with page.db.write() as session:
        account = _account(session, page)
        relationship = change(session, follower_id=page.viewer.id, target_id=account.id)
    if not page.is_htmx:
        return page.back(f"/@{account.username}")
    return page.render("_follow_button.html", account=account, relationship=relationship)


def follow(page: Page) -> Response:
    """Follow, or ask to follow a locked account."""
    return _change(page, graph.follow)


def unfollow(page: Page) -> Response:
    """Unfollow, or withdraw a pending follow request."""
    return _change(page, graph.unfollow)
