"""Explore: trending hashtags (with their numbers), trending posts, and who to follow (signed in)."""

from __future__ import annotations

from markupsafe import escape
from starlette.responses import Response

from gazouillis.accounts import service as accounts
from gazouillis.errors import NotFound
from gazouillis.graph import suggestions as suggested
from gazouillis.graph.hiding import screen
from gazouillis.posts.views import load_views
from gazouillis.tags import history
from gazouillis.tags import service as tags
from gazouillis.trends import service as trends
from gazouillis.web.context import Page
from gazouillis.web.pages.listing import relationships_with
from gazouillis.web.pages.timelines import parse_id

TAGS_SHOWN = 10
POSTS_SHOWN = 20
PEOPLE_SHOWN = 10


def explore(page: Page) -> Response:
    with page.db.read() as session:
        tag_ids = trends.trending_tags(session)[:TAGS_SHOWN]
        found = tags.tags_by_id(session, tag_ids)
        days = history.histories(session, tag_ids)
        trending_tags = [(found[i], days[i]) for i in tag_ids if i in found]
        post_ids = trends.trending_posts(session)[:POSTS_SHOWN]
        views = screen(session, page.viewer_id, load_views(session, post_ids, page.viewer_id), "public")
        views = [v for v in views if v.post.visibility == "public"]
        people = []
        relationships = {}
        if page.viewer is not None:
            people = [
                s.account
                for s in suggested.suggestions(session, viewer_id=page.viewer.id, limit=PEOPLE_SHOWN)
            ]
            relationships = relationships_with(page, session, people)
    return page.render(
        "explore.html",
        trending_tags=trending_tags,
        views=views,
        people=people,
        relationships=relationships,
        empty_message=page.gettext("No post is trending right now."),
    )


def dismiss(page: Page) -> Response:
    """Never suggest this account again (htmx: the row says so; without JavaScript: back to /explore)."""
    assert page.viewer is not None
    account_id = parse_id(str(page.request.path_params["account_id"]))
    if account_id is None:
        raise NotFound()
    with page.db.write() as session:
        suggested.dismiss(session, viewer_id=page.viewer.id, account_id=account_id)
        account = accounts.get_account(session, account_id)
    if not page.is_htmx:
        return page.back("/explore")
    name = account.display_name or account.username
    return page.render_html(
        f'<li class="suggestion dismissed" id="suggestion-{account.id}"><p role="status">'
        f"{escape(page.gettext('%(name)s will not be suggested again.', name=name))}</p></li>"
    )
