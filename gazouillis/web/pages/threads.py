"""A post's own page: the conversation around it, and a box to reply."""

from __future__ import annotations

from starlette.responses import Response

from gazouillis.accounts import service as accounts
from gazouillis.errors import NotFound
from gazouillis.posts import service as posts
from gazouillis.posts import threads
from gazouillis.posts.views import load_view
from gazouillis.web.context import Page
from gazouillis.web.pages.timelines import compose_context, parse_id, reply_prefill


def thread(page: Page) -> Response:
    username = page.request.path_params["username"]
    post_id = parse_id(page.request.path_params["id"])
    if post_id is None:
        raise NotFound()
    with page.db.read() as session:
        post = posts.get_visible(session, page.viewer_id, post_id)  # NotFound when hidden from the viewer
        if post.reblog_of_id is not None:
            # A repost has no conversation of its own: show the original's.
            original = posts.get_visible(session, page.viewer_id, post.reblog_of_id)
            author = accounts.get_account(session, original.account_id)
            return page.redirect(f"/@{author.username}/{original.id}")
        author = accounts.get_account(session, post.account_id)
        if author.username_key != username.lower():
            # A known account but another author: the post's right address (an old link, a typo'd name).
            if accounts.find_by_username(session, username) is None:
                raise NotFound()
            return page.redirect(f"/@{author.username}/{post.id}")
        focus = load_view(session, post.id, page.viewer_id)
        if focus is None:
            raise NotFound()
        around = threads.context(session, viewer_id=page.viewer_id, post_id=post.id)
    compose = {}
    if page.viewer is not None:
        compose = compose_context(page, reply_to=focus, status=reply_prefill(focus, page.viewer.username))
    return page.render(
        "thread.html",
        focus=focus,
        ancestors=around.ancestors,
        descendants=around.descendants,
        thread_focus=focus.post.id,
        **compose,
    )
