"""render_html: plain text to the HTML of a status, as Mastodon renders it."""

from __future__ import annotations

from gazouillis.text import render_html

BASE = "https://social.example"
ACCOUNTS = {"bob": f"{BASE}/@bob", "alice@remote.example": "https://remote.example/@alice"}


def render(text: str) -> str:
    return render_html(text, base_url=BASE, mentions_resolver=ACCOUNTS.get)


def test_plain_text_is_one_paragraph() -> None:
    assert render("Hello world") == "<p>Hello world</p>"


def test_empty_and_blank_text() -> None:
    assert render("") == ""
    assert render(" \n\n ") == ""


def test_everything_is_escaped() -> None:
    html = render("<script>alert(\"x\")</script> & 'quotes'")
    assert html == ("<p>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#x27;quotes&#x27;</p>")


def test_paragraphs_and_line_breaks() -> None:
    assert render("one\ntwo\n\nthree\n\n\n\nfour\n") == "<p>one<br />two</p><p>three</p><p>four</p>"
    assert render("a\r\nb\r\n\r\nc") == "<p>a<br />b</p><p>c</p>"


def test_known_local_mention() -> None:
    assert render("hi @bob!") == (
        '<p>hi <span class="h-card" translate="no"><a href="https://social.example/@bob" '
        'class="u-url mention">@<span>bob</span></a></span>!</p>'
    )


def test_known_remote_mention_shows_the_username() -> None:
    assert render("cc @alice@remote.example") == (
        '<p>cc <span class="h-card" translate="no"><a href="https://remote.example/@alice" '
        'class="u-url mention">@<span>alice</span></a></span></p>'
    )


def test_unknown_mention_stays_text() -> None:
    assert render("hi @nobody") == "<p>hi @nobody</p>"


def test_email_address_is_not_a_mention() -> None:
    assert render("mail bob@social.example") == "<p>mail bob@social.example</p>"


def test_resolver_sees_each_mention_in_order() -> None:
    seen: list[str] = []

    def resolver(acct: str) -> str | None:
        seen.append(acct)
        return None

    render_html("@bob and @carol@else.where, @bob", base_url=BASE, mentions_resolver=resolver)
    assert seen == ["bob", "carol@else.where", "bob"]


def test_hashtag() -> None:
    assert render("#Python rocks") == (
        '<p><a href="https://social.example/tags/python" class="mention hashtag" rel="tag">'
        "#<span>Python</span></a> rocks</p>"
    )


def test_hashtag_with_accents_keeps_its_letters() -> None:
    assert render("Un #Café ?") == (
        '<p>Un <a href="https://social.example/tags/café" class="mention hashtag" rel="tag">'
        "#<span>Café</span></a> ?</p>"
    )


def test_base_url_trailing_slash_is_ignored() -> None:
    html = render_html("#tag", base_url=BASE + "/", mentions_resolver=ACCOUNTS.get)
    assert 'href="https://social.example/tags/tag"' in html


def test_short_url() -> None:
    assert render("see https://example.com/a") == (
        '<p>see <a href="https://example.com/a" target="_blank" rel="nofollow noopener noreferrer" '
        'translate="no"><span class="invisible">https://</span><span class="">example.com/a</span>'
        '<span class="invisible"></span></a></p>'
    )


def test_long_url_is_cut_after_30_characters() -> None:
    url = "http://www.example.com/" + "a" * 40
    assert render(url) == (
        f'<p><a href="{url}" target="_blank" rel="nofollow noopener noreferrer" translate="no">'
        '<span class="invisible">http://www.</span>'
        '<span class="ellipsis">example.com/aaaaaaaaaaaaaaaaaa</span>'
        '<span class="invisible">aaaaaaaaaaaaaaaaaaaaaa</span></a></p>'
    )


def test_url_of_exactly_30_characters_is_not_cut() -> None:
    url = "https://" + "e" * 26 + ".com"
    assert '<span class="">' + "e" * 26 + ".com</span>" in render(url)


def test_url_attributes_are_escaped() -> None:
    html = render("https://example.com/?a=1&b=2")
    assert 'href="https://example.com/?a=1&amp;b=2"' in html
    assert "example.com/?a=1&amp;b=2</span>" in html


def test_only_urls_with_http_scheme_are_linked() -> None:
    assert render("example.com and javascript:alert(1) and ftp://example.com") == (
        "<p>example.com and javascript:alert(1) and ftp://example.com</p>"
    )


def test_hashtag_and_mention_inside_url_stay_in_the_url() -> None:
    html = render("https://example.com/@bob/#tag")
    assert html.count("<a ") == 1
    assert "h-card" not in html and "hashtag" not in html


def test_markup_in_mention_resolver_url_is_escaped() -> None:
    html = render_html("@bob", base_url=BASE, mentions_resolver=lambda _: 'https://x/"><script>')
    assert 'href="https://x/&quot;&gt;&lt;script&gt;"' in html
