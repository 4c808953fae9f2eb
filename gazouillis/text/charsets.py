"""Character-class fragments shared by the twitter-text patterns.

Every constant here is the *inside* of a regular-expression character class (no brackets), written
with escapes so that it can be combined freely: ``f"[^{SPACES}{DIRECTIONAL}]"``. They follow the
twitter-text reference implementation (Ruby), whose choices the conformance suite encodes.
"""

from __future__ import annotations

import string

import regex

# Unicode White_Space characters (twitter-text's UNICODE_SPACES; U+180E is kept although Unicode
# no longer classes it as a space, because the reference does).
SPACES = r"\x09-\x0d\x20\x85\xa0\u1680\u180e\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"

# Bidirectional marks, embeddings, overrides and isolates. Entities may start right after them and
# they are never part of a domain name.
DIRECTIONAL = r"\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"

# Code points that make a post invalid: byte-order marks and the non-character U+FFFF.
INVALID = r"\ufffe\ufeff\uffff"

# ASCII control characters.
CONTROL = r"\x00-\x1f\x7f"

# All 32 ASCII punctuation characters, escaped for use inside a class.
PUNCTUATION = regex.escape(string.punctuation, special_only=False)

# Latin letters with diacritics (and combining diacritics) that may appear in URL paths and ASCII
# domains, and that must not directly follow a mention. U+00D7 and U+00F7 (multiplication and
# division signs) are left out on purpose.
LATIN_ACCENTS = (
    r"\xc0-\xd6\xd8-\xf6\xf8-\xff\u0100-\u024f\u0253\u0254\u0256\u0257\u0259\u025b\u0263\u0268"
    r"\u026f\u0272\u0289\u028b\u02bb\u0300-\u036f\u1e00-\u1eff"
)

# Hashtags: letters and marks of any script, decimal digits of any script, plus a few joiners and
# punctuation marks that are part of words in some scripts (ZWNJ/ZWJ, Hebrew geresh and maqaf,
# Japanese wave dash and iteration marks, Tibetan tsheg, Catalan middle dot...).
HASHTAG_LETTERS = r"\p{L}\p{M}"
HASHTAG_NUMERALS = r"\p{Nd}"
HASHTAG_SPECIALS = (
    r"_\u200c\u200d\ua67e\u05be\u05f3\u05f4\uff5e\u301c\u309b\u309c\u30a0\u30fb\u3003\u0f0b\u0f0c\xb7"
)
HASHTAG_ALNUM = HASHTAG_LETTERS + HASHTAG_NUMERALS + HASHTAG_SPECIALS
