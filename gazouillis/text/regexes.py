"""Compiled regular expressions for the twitter-text rules.

These are implementation details of :mod:`gazouillis.text`; use the functions of ``extract``,
``validate`` and ``weight`` rather than the patterns. Everything is compiled once at import.

Two Ruby habits of the reference implementation are kept on purpose: ``^``/``$`` are line anchors
(hence ``MULTILINE``) and ``\\s`` means ASCII whitespace only (hence the explicit ``_ASCII_SPACE``).
"""

from __future__ import annotations

import string

import regex

from .charsets import (
    CONTROL,
    DIRECTIONAL,
    HASHTAG_ALNUM,
    HASHTAG_LETTERS,
    INVALID,
    LATIN_ACCENTS,
    PUNCTUATION,
    SPACES,
)

_I = regex.IGNORECASE
_IM = regex.IGNORECASE | regex.MULTILINE
_ASCII_SPACE = r"[ \t\n\x0b\f\r]"
_AT = "[@\uff20]"

# --- Mentions and lists -----------------------------------------------------------------------------

# A mention may follow anything but a word character or one of !#$%&*@, or a retweet marker (RT, RT:).
_MENTION_PRECEDING = r"(?:[^a-z0-9_!#$%&*@\uff20]|^|(?:^|[^a-z0-9_+~.\-])rt:?)"
MENTION_OR_LIST = regex.compile(
    rf"(?P<before>{_MENTION_PRECEDING})(?P<at>{_AT})(?P<name>[a-z0-9_]{{1,20}})"
    r"(?P<slug>/[a-z][a-z0-9_\-]{0,24})?",
    _IM,
)
# What may not follow a mention: another @ (an e-mail address), an accented Latin letter (the name
# goes on in a script we do not accept) or "://" (``@http://...``). Used with ``.match(text, end)``,
# which anchors at ``end`` (``\A`` would not: it only ever matches at the start of the string).
END_MENTION = regex.compile(rf"{_AT}|[{LATIN_ACCENTS}]|://")
REPLY = regex.compile(rf"\A[{SPACES}{DIRECTIONAL}]*{_AT}(?P<name>[a-z0-9_]{{1,20}})", _I)

# --- Hashtags and cashtags ----------------------------------------------------------------------------

# "#" must not be glued to a word (nor to "&", think "&#39;"); emoji variation selectors are marks
# but a hashtag right after an emoji is fine. "#" followed by U+FE0F or U+20E3 is the keycap emoji.
HASHTAG = regex.compile(
    rf"(?:\A|\ufe0e|\ufe0f|[^&{HASHTAG_ALNUM}])(?P<hash>[#\uff03])(?!\ufe0f|\u20e3)"
    rf"(?P<tag>[{HASHTAG_ALNUM}]*[{HASHTAG_LETTERS}][{HASHTAG_ALNUM}]*)",
    _I,
)
END_HASHTAG = regex.compile(r"[#\uff03]|://")

CASHTAG = regex.compile(
    rf"(?:^|[{SPACES}{DIRECTIONAL}])(?P<dollar>\$)(?P<tag>[a-z]{{1,6}}(?:[._][a-z]{{1,2}})?)"
    rf"(?=$|{_ASCII_SPACE}|[{PUNCTUATION}])",
    _IM,
)

# --- URL extraction -----------------------------------------------------------------------------------
#
# twitter-text describes a URL with one regular expression:
#
#     preceding-char  (https?://)?  (subdomain.)* domain-name. TLD  (:port)? (/path)? (?query)?
#
# Run as is, its domain part backtracks over every split of every dotted chain at every start position:
# quadratic time, e.g. 0.4 s for "a.a.a.a…" in a 280-character post. ``urls.py`` therefore finds the
# domain with a linear scan built on the small patterns below and keeps the regular expression only as
# the specification it is tested against (``URL_SPECIFICATION``).

_URL_PRECEDING = rf"(?:[^a-z0-9@\uff20$#\uff03{INVALID}]|[{DIRECTIONAL}]|^)"
# Domain labels may use any character that is not punctuation, space, control or directional.
_DOMAIN_CHAR = rf"[^{DIRECTIONAL}{PUNCTUATION}{SPACES}{CONTROL}{INVALID}]"
# A known TLD not followed by something that would make it a longer word ("foo.comm", "foo.com-x");
# otherwise any punycode label. (Specification only: ``tlds.tlds_after_dots`` does this with a set.)
_TLD = r"(?:\L<tlds>(?=[^0-9a-z@+\-]|$)|xn--[0-9a-z]+)"

# The character before a URL (when the URL does not start a line).
URL_PRECEDING_CHAR = regex.compile(rf"[^a-z0-9@\uff20$#\uff03{INVALID}]|[{DIRECTIONAL}]", _I)
URL_PROTOCOL = regex.compile(r"https?://", _I)
# Maximal runs of characters a domain is made of: domain characters, "_", "-" and ".".
_RUN_EXCLUDED_PUNCTUATION = regex.escape(
    string.punctuation.translate({ord(c): None for c in "_-."}), special_only=False
)
_DOMAIN_RUN = rf"[^{DIRECTIONAL}{_RUN_EXCLUDED_PUNCTUATION}{SPACES}{CONTROL}{INVALID}]+"
DOMAIN_RUN = regex.compile(_DOMAIN_RUN)
DOMAIN_RUN_BACKWARDS = regex.compile(_DOMAIN_RUN, regex.REVERSE)  # .match(text, 0, end) ends at end
# What cannot be in the labels of the ASCII domains found inside a protocol-less match such as
# "日本語example.com" (dots separate the labels).
NOT_ASCII_LABEL_CHAR = regex.compile(rf"[^a-z0-9\-_.{LATIN_ACCENTS}]", _I)

_PATH_CHAR = rf"[a-z\p{{Cyrillic}}0-9!*';:=+,.$/%#\[\]\p{{Pd}}_~&|@{LATIN_ACCENTS}]"
# Up to two levels of balanced parentheses: /wiki/Primer_(film), /track/We_Up_(Album_(Edited)).
_BALANCED_PARENS = rf"\((?:{_PATH_CHAR}+|(?:{_PATH_CHAR}*\({_PATH_CHAR}+\){_PATH_CHAR}*))\)"
# A path does not end in sentence punctuation ("see http://x.com/a." keeps the period out).
_PATH_END = rf"(?:[a-z\p{{Cyrillic}}0-9=_#/+\-{LATIN_ACCENTS}]|{_BALANCED_PARENS})"
_PATH = rf"(?:(?:{_PATH_CHAR}*(?:{_BALANCED_PARENS}{_PATH_CHAR}*)*{_PATH_END})|(?:{_PATH_CHAR}+/))"
_QUERY_CHAR = r"[a-z0-9!?*'();:&=+$/%#\[\]\-_.,~|@]"
_QUERY_END = r"[a-z0-9_&=#/\-]"
_URL_TAIL = rf"(?::(?P<port>[0-9]+))?(?P<path>/{_PATH}*)?(?P<query>\?{_QUERY_CHAR}*{_QUERY_END})?"
# What may follow the domain: port, path, query.
URL_TAIL = regex.compile(_URL_TAIL, _I)

# The reference formulation (see above): what ``urls.scan_urls`` must agree with, match for match.
_SUBDOMAIN = rf"(?:(?:{_DOMAIN_CHAR}(?:[_\-]|{_DOMAIN_CHAR})*)?{_DOMAIN_CHAR}\.)"
_DOMAIN_NAME = rf"(?:(?:{_DOMAIN_CHAR}(?:-|{_DOMAIN_CHAR})*)?{_DOMAIN_CHAR}\.)"
URL_SPECIFICATION = (
    rf"(?P<before>{_URL_PRECEDING})(?P<url>(?P<protocol>https?://)?"
    rf"(?P<domain>{_SUBDOMAIN}*{_DOMAIN_NAME}{_TLD}){_URL_TAIL})"
)
ASCII_DOMAIN_SPECIFICATION = rf"(?:(?:[a-z0-9\-_]|[{LATIN_ACCENTS}])+\.)+{_TLD}"

# A protocol-less URL right after these is the tail of something else ("a_b.com", "x/y.com").
INVALID_URL_WITHOUT_PROTOCOL_PRECEDING = regex.compile(r"[\-_./]\Z")
# t.co links never carry a path beyond the slug (the rest is text glued to the link).
TCO_URL = regex.compile(rf"\Ahttps?://t\.co/(?P<slug>[a-z0-9]+)(?:\?{_QUERY_CHAR}*{_QUERY_END})?", _I)

# --- URL validation (RFC 3986, somewhat stricter) -------------------------------------------------------

_UNRESERVED = r"[a-z\p{Cyrillic}0-9\p{Pd}._~]"
_PCT_ENCODED = r"(?:%[0-9a-f]{2})"
_SUB_DELIMS = r"[!$&'()*+,;=]"
_PCHAR = rf"(?:{_UNRESERVED}|{_PCT_ENCODED}|{_SUB_DELIMS}|[:|@])"
_USERINFO = rf"(?:{_UNRESERVED}|{_PCT_ENCODED}|{_SUB_DELIMS}|:)*"
_DEC_OCTET = r"(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9][0-9]|[0-9])"
_IPV4 = rf"(?:{_DEC_OCTET}(?:\.{_DEC_OCTET}){{3}})"
_IPV6 = r"(?:\[[a-f0-9:.]+\])"  # as loose as the reference: brackets around hex digits and colons
_IP = rf"(?:{_IPV4}|{_IPV6})"

_ASCII_SUBDOMAIN_SEGMENT = r"(?:[a-z0-9](?:[a-z0-9_\-]*[a-z0-9])?)"
_ASCII_DOMAIN_SEGMENT = r"(?:[a-z0-9](?:[a-z0-9\-]*[a-z0-9])?)"
_ASCII_DOMAIN_TLD = r"(?:[a-z](?:[a-z0-9\-]*[a-z0-9])?)"
_ASCII_HOST = (
    rf"(?:{_IP}|(?:(?:{_ASCII_SUBDOMAIN_SEGMENT}\.)*(?:{_ASCII_DOMAIN_SEGMENT}\.){_ASCII_DOMAIN_TLD}))"
)
# Unencoded internationalised names: any non-ASCII character counts as a letter.
_U = r"[a-z0-9]|[^\x00-\x7f]"
_UNICODE_SUBDOMAIN_SEGMENT = rf"(?:(?:{_U})(?:(?:[a-z0-9_\-]|[^\x00-\x7f])*(?:{_U}))?)"
_UNICODE_DOMAIN_SEGMENT = rf"(?:(?:{_U})(?:(?:[a-z0-9\-]|[^\x00-\x7f])*(?:{_U}))?)"
_UNICODE_DOMAIN_TLD = rf"(?:(?:[a-z]|[^\x00-\x7f])(?:(?:[a-z0-9\-]|[^\x00-\x7f])*(?:{_U}))?)"
_UNICODE_HOST = (
    rf"(?:{_IP}|(?:(?:{_UNICODE_SUBDOMAIN_SEGMENT}\.)*(?:{_UNICODE_DOMAIN_SEGMENT}\.){_UNICODE_DOMAIN_TLD}))"
)

VALIDATE_URL_PARTS = regex.compile(
    r"\A(?:(?P<scheme>[^:/?#]+)://)?(?P<authority>[^/?#]*)(?P<path>[^?#]*)"
    r"(?:\?(?P<query>[^#]*))?(?:\#(?P<fragment>.*))?\Z",
    regex.IGNORECASE | regex.DOTALL,
)
VALIDATE_URL_SCHEME = regex.compile(r"https?", _I)
VALIDATE_URL_AUTHORITY = regex.compile(rf"(?:{_USERINFO}@)?{_ASCII_HOST}(?::[0-9]{{1,5}})?", _I)
VALIDATE_URL_UNICODE_AUTHORITY = regex.compile(rf"(?:{_USERINFO}@)?{_UNICODE_HOST}(?::[0-9]{{1,5}})?", _I)
VALIDATE_URL_PATH = regex.compile(rf"(?:/{_PCHAR}*)*", _I)
VALIDATE_URL_QUERY = regex.compile(rf"(?:{_PCHAR}|/|\?)*", _I)  # the fragment follows the same rule

# --- Emoji (for the weighted length) ------------------------------------------------------------------

# One emoji as a reader sees it: a keycap, a flag, a subdivision flag (black flag + tag characters),
# or pictographs (with optional presentation selector and skin tone) joined by ZWJ. © and ® are
# pictographic but default to text presentation, so they only count as emoji with U+FE0F.
_PICTOGRAPH = r"(?:[\xa9\xae]\ufe0f|(?![\xa9\xae])\p{Extended_Pictographic})"
_EMOJI_ELEMENT = rf"(?:{_PICTOGRAPH}[\ufe0e\ufe0f]?\p{{Emoji_Modifier}}?\ufe0f?)"
EMOJI = regex.compile(
    r"[#*0-9]\ufe0f?\u20e3"
    r"|\p{Regional_Indicator}{1,2}"
    r"|\U0001f3f4[\U000e0020-\U000e007e]+\U000e007f"
    rf"|{_EMOJI_ELEMENT}(?:\u200d{_EMOJI_ELEMENT})*"
    r"|\p{Emoji_Modifier}"
)
