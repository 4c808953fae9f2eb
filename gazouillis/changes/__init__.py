"""The change log: what was written that a cached page may show, so no process serves a stale page.

Database triggers (:mod:`.triggers`) append a row to ``changes`` in the same transaction as each write a
cached page depends on: a post edited, counted or deleted, an account updated, a reader's own state
(likes, reposts, bookmarks, pins, follows, blocks either way, mutes, filters, lists, followed hashtags).
The feed stores record the readers whose feeds they add to themselves (:func:`.log.readers_changed`; a
feed built for the first time has no page yet). Each process tails the log (:mod:`.tail`) before it
serves a cached page and stamps what each change touched; a kept page with a later stamp on anything it
shows is not served, so a served page is never older than the last committed write it shows
(:mod:`.pages`).

Two more kinds name a token's row and a login's, which no page shows: each process remembers the
token checks it made until the log names their token or login (gazouillis.oauth.memo).
"""
