"""Keyword filters: v2 (filters, their keywords and their posts) and the older v1 (one keyword each)."""

from __future__ import annotations

from typing import Any

from gazouillis.api.entities.filters import (
    filter_entity,
    filter_status_entity,
    keyword_entity,
    v1_filter_entity,
)
from gazouillis.api.http import Ctx
from gazouillis.api.params import Params
from gazouillis.errors import BadRequest
from gazouillis.filters import service as filters
from gazouillis.filters.service import UNSET, KeywordChange


def _flag(value: Any) -> bool | None:
    return Params({"value": value}).bool("value")


def _id(value: Any) -> int | None:
    if value is None or value == "":
        return None
    text = str(value).strip()
    if not text.isdigit() or len(text) > 19:
        raise BadRequest("id is not a valid id")
    return int(text)


def _keywords(p: Params) -> list[KeywordChange]:
    """``keywords_attributes[][keyword|whole_word|id|_destroy]`` as a form, indexed form or JSON sends it."""
    changes = []
    for entry in p.list("keywords_attributes"):
        if not isinstance(entry, dict):
            raise BadRequest("keywords_attributes must be a list of keywords")
        keyword = entry.get("keyword")
        changes.append(
            KeywordChange(
                keyword=None if keyword is None else str(keyword),
                whole_word=_flag(entry.get("whole_word")),
                id=_id(entry.get("id")),
                destroy=bool(_flag(entry.get("_destroy"))),
            )
        )
    return changes


def _context(p: Params) -> list[Any] | None:
    return p.list("context") if "context" in p else None


def _expires_in(p: Params) -> Any:
    if "expires_in" not in p:
        return UNSET
    return p.int("expires_in")  # "" or null: never expires


def list_v2(ctx: Ctx) -> list[dict[str, Any]]:
    with ctx.db.read() as session:
        return [filter_entity(f) for f in filters.filters_of(session, account_id=ctx.user_id)]


def get_v2(ctx: Ctx) -> dict[str, Any]:
    with ctx.db.read() as session:
        row = filters.get_filter(session, account_id=ctx.user_id, filter_id=ctx.path_id())
        return filter_entity(filters.full(session, row))


def create_v2(ctx: Ctx) -> dict[str, Any]:
    p = ctx.params
    expires_in = _expires_in(p)
    with ctx.db.write() as session:
        found = filters.create_filter(
            session,
            account_id=ctx.user_id,
            title=p.str("title"),
            context=_context(p),
            action=p.str("filter_action") or None,
            expires_in=None if expires_in is UNSET else expires_in,
            keywords=_keywords(p),
        )
        return filter_entity(found)


def update_v2(ctx: Ctx) -> dict[str, Any]:
    p = ctx.params
    with ctx.db.write() as session:
        found = filters.update_filter(
            session,
            account_id=ctx.user_id,
            filter_id=ctx.path_id(),
            title=p.str("title"),
            context=_context(p),
            action=p.str("filter_action"),
            expires_in=_expires_in(p),
            keywords=_keywords(p),
        )
        return filter_entity(found)


def delete_v2(ctx: Ctx) -> dict[str, Any]:
    with ctx.db.write() as session:
        filters.delete_filter(session, account_id=ctx.user_id, filter_id=ctx.path_id())
    return {}


def keywords(ctx: Ctx) -> list[dict[str, Any]]:
    with ctx.db.read() as session:
        row = filters.get_filter(session, account_id=ctx.user_id, filter_id=ctx.path_id())
        return [keyword_entity(k) for k in filters.full(session, row).keywords]


def add_keyword(ctx: Ctx) -> dict[str, Any]:
    p = ctx.params
    with ctx.db.write() as session:
        added = filters.add_keyword(
            session,
            account_id=ctx.user_id,
            filter_id=ctx.path_id(),
            keyword=p.str("keyword"),
            whole_word=p.bool("whole_word"),
        )
        return keyword_entity(added)


def get_keyword(ctx: Ctx) -> dict[str, Any]:
    with ctx.db.read() as session:
        return keyword_entity(filters.get_keyword(session, account_id=ctx.user_id, keyword_id=ctx.path_id()))


def update_keyword(ctx: Ctx) -> dict[str, Any]:
    p = ctx.params
    with ctx.db.write() as session:
        changed = filters.update_keyword(
            session,
            account_id=ctx.user_id,
            keyword_id=ctx.path_id(),
            keyword=p.str("keyword"),
            whole_word=p.bool("whole_word"),
        )
        return keyword_entity(changed)


def delete_keyword(ctx: Ctx) -> dict[str, Any]:
    with ctx.db.write() as session:
        filters.delete_keyword(session, account_id=ctx.user_id, keyword_id=ctx.path_id())
    return {}


def statuses(ctx: Ctx) -> list[dict[str, Any]]:
    with ctx.db.read() as session:
        row = filters.get_filter(session, account_id=ctx.user_id, filter_id=ctx.path_id())
        return [filter_status_entity(s) for s in filters.full(session, row).statuses]


def add_status(ctx: Ctx) -> dict[str, Any]:
    with ctx.db.write() as session:
        added = filters.add_status(
            session,
            account_id=ctx.user_id,
            filter_id=ctx.path_id(),
            post_id=ctx.params.id("status_id"),
        )
        return filter_status_entity(added)


def get_status(ctx: Ctx) -> dict[str, Any]:
    with ctx.db.read() as session:
        found = filters.get_status(session, account_id=ctx.user_id, filter_status_id=ctx.path_id())
        return filter_status_entity(found)


def delete_status(ctx: Ctx) -> dict[str, Any]:
    with ctx.db.write() as session:
        filters.delete_status(session, account_id=ctx.user_id, filter_status_id=ctx.path_id())
    return {}


# -- Filters v1: a filter of one keyword, named after it ---------------------------------------------------


def list_v1(ctx: Ctx) -> list[dict[str, Any]]:
    with ctx.db.read() as session:
        found = filters.filters_of(session, account_id=ctx.user_id)
    return [v1_filter_entity(f.filter, k) for f in found for k in f.keywords]


def _v1(ctx: Ctx, keyword_id: int) -> dict[str, Any]:
    with ctx.db.read() as session:
        keyword = filters.get_keyword(session, account_id=ctx.user_id, keyword_id=keyword_id)
        row = filters.get_filter(session, account_id=ctx.user_id, filter_id=keyword.filter_id)
        return v1_filter_entity(row, keyword)


def get_v1(ctx: Ctx) -> dict[str, Any]:
    return _v1(ctx, ctx.path_id())


def create_v1(ctx: Ctx) -> dict[str, Any]:
    p = ctx.params
    phrase = p.str("phrase")
    with ctx.db.write() as session:
        found = filters.create_filter(
            session,
            account_id=ctx.user_id,
            title=phrase,
            context=_context(p),
            action="hide" if p.bool("irreversible", False) else "warn",
            expires_in=p.int("expires_in"),
            keywords=[KeywordChange(keyword=phrase, whole_word=p.bool("whole_word", True))],
        )
        keyword_id = found.keywords[0].id
    return _v1(ctx, keyword_id)


def update_v1(ctx: Ctx) -> dict[str, Any]:
    p = ctx.params
    keyword_id = ctx.path_id()
    with ctx.db.write() as session:
        keyword = filters.update_keyword(
            session,
            account_id=ctx.user_id,
            keyword_id=keyword_id,
            keyword=p.str("phrase"),
            whole_word=p.bool("whole_word"),
        )
        irreversible = p.bool("irreversible")
        filters.update_filter(
            session,
            account_id=ctx.user_id,
            filter_id=keyword.filter_id,
            context=_context(p),
            action=None if irreversible is None else ("hide" if irreversible else "warn"),
            expires_in=_expires_in(p),
        )
    return _v1(ctx, keyword_id)


def delete_v1(ctx: Ctx) -> dict[str, Any]:
    """The keyword goes, and its filter with it when it was the last one."""
    with ctx.db.write() as session:
        keyword = filters.get_keyword(session, account_id=ctx.user_id, keyword_id=ctx.path_id())
        filter_id = keyword.filter_id
        filters.delete_keyword(session, account_id=ctx.user_id, keyword_id=keyword.id)
        row = filters.get_filter(session, account_id=ctx.user_id, filter_id=filter_id)
        if not filters.full(session, row).keywords:
            filters.delete_filter(session, account_id=ctx.user_id, filter_id=filter_id)
    return {}
