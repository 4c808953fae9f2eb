"""Imports every table so the metadata is complete (for migrations and tests)."""

from gazouillis.accounts.tables import Account, User
from gazouillis.accounts.throttle import LoginFailure
from gazouillis.changes.tables import Change
from gazouillis.conversations.tables import AccountConversation
from gazouillis.filters.tables import Filter, FilterKeyword, FilterStatus
from gazouillis.graph.tables import Block, Follow, FollowRequest, Mute, SuggestionDismissal
from gazouillis.jobs.tables import Job
from gazouillis.lists.tables import List, ListMember
from gazouillis.notifications.tables import Marker, Notification
from gazouillis.oauth.tables import AccessToken, Application, AuthorizationCode
from gazouillis.posts.tables import Bookmark, Favourite, IdempotencyKey, Mention, Pin, Post, PostTag, Tag
from gazouillis.storage import Base
from gazouillis.tags.tables import FeaturedTag, TagFollow
from gazouillis.timelines.tables import FeedEntry

metadata = Base.metadata

__all__ = [
    "AccessToken",
    "Account",
    "AccountConversation",
    "Application",
    "AuthorizationCode",
    "Block",
    "Bookmark",
    "Change",
    "Favourite",
    "FeaturedTag",
    "FeedEntry",
    "Filter",
    "FilterKeyword",
    "FilterStatus",
    "Follow",
    "FollowRequest",
    "IdempotencyKey",
    "Job",
    "List",
    "LoginFailure",
    "ListMember",
    "Marker",
    "Mention",
    "Mute",
    "Notification",
    "Pin",
    "Post",
    "PostTag",
    "SuggestionDismissal",
    "Tag",
    "TagFollow",
    "User",
    "metadata",
]
