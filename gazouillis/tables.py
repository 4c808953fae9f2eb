"""Imports every table so the metadata is complete (for migrations and tests)."""

from gazouillis.accounts.tables import Account, User
from gazouillis.graph.tables import Follow, FollowRequest
from gazouillis.jobs.tables import Job
from gazouillis.oauth.tables import AccessToken, Application, AuthorizationCode
from gazouillis.posts.tables import Bookmark, Favourite, IdempotencyKey, Mention, Post, PostTag, Tag
from gazouillis.storage import Base
from gazouillis.timelines.tables import FeedEntry

metadata = Base.metadata

__all__ = [
    "AccessToken",
    "Account",
    "Application",
    "AuthorizationCode",
    "Bookmark",
    "Favourite",
    "FeedEntry",
    "Follow",
    "FollowRequest",
    "IdempotencyKey",
    "Job",
    "Mention",
    "Post",
    "PostTag",
    "Tag",
    "User",
    "metadata",
]
