"""Mastodon's streaming API (WebSocket and server-sent events) and the live pages, fed by the events bus."""
