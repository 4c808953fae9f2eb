"""Public helpers around entities: dictionaries, code-point offsets, hashtag normalisation."""

from __future__ import annotations

from gazouillis.text import (
    Entity,
    extract_cashtags_with_indices,
    extract_hashtags_with_indices,
    extract_mentioned_screen_names_or_lists_with_indices,
    extract_mentions_with_indices,
    extract_urls_with_indices,
    is_valid_url,
    normalize_hashtag,
)


def test_offsets_are_code_points_and_slice_the_text() -> None:
    text = "🎉 #fête @bob https://example.com $ACME"
    for entity in (
        *extract_hashtags_with_indices(text),
        *extract_mentions_with_indices(text),
        *extract_urls_with_indices(text),
        *extract_cashtags_with_indices(text),
    ):
        written = text[entity.start : entity.end]
        assert written.lstrip("#@$") == entity.text, entity


def test_as_dict_follows_twitter_text() -> None:
    assert Entity("hashtag", "tag", 0, 4).as_dict() == {"hashtag": "tag", "indices": [0, 4]}
    (mention,) = extract_mentioned_screen_names_or_lists_with_indices("@bob/friends")
    assert mention.is_list
    assert mention.as_dict() == {"screen_name": "bob", "list_slug": "/friends", "indices": [0, 12]}


def test_urls_without_protocol_can_be_left_out() -> None:
    text = "example.com and https://example.org"
    assert [e.text for e in extract_urls_with_indices(text, extract_url_without_protocol=False)] == [
        "https://example.org"
    ]


def test_normalize_hashtag() -> None:
    assert normalize_hashtag("#Café") == "café"
    assert normalize_hashtag("ＣＡＦＥ") == "cafe"  # full-width letters (NFKC)
    assert normalize_hashtag("Straße") == "strasse"  # case folding, not just lower-casing
    assert normalize_hashtag("cafe\u0301") == normalize_hashtag("café")


def test_is_valid_url_without_unicode_domains() -> None:
    assert is_valid_url("http://☃.net/")
    assert not is_valid_url("http://☃.net/", unicode_domains=False)
    assert is_valid_url("http://10.0.0.12/")
