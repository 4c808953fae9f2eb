"""Parameter decoding: every encoding Mastodon clients use reads the same way."""

from __future__ import annotations

import pytest

from gazouillis.api.params import Params, parse_form, parse_json, parse_query
from gazouillis.errors import BadRequest


def test_arrays_and_hashes() -> None:
    q = parse_query(b"id%5B%5D=1&id%5B%5D=2&single=x&rep=a&rep=b")
    assert (
        Params(q).list("id") == ["1", "2"]
        and Params(q).list("single") == ["x"]
        and Params(q).list("rep") == ["a", "b"]
    )
    form = parse_form(
        b"fields_attributes[0][name]=a&fields_attributes[0][value]=1&fields_attributes[1][name]=b&source[privacy]=private"
    )
    p = Params(form)
    assert p.list("fields_attributes") == [{"name": "a", "value": "1"}, {"name": "b"}]
    assert p.dict("source") == {"privacy": "private"}
    rails = Params(parse_form(b"f[][name]=a&f[][value]=1&f[][name]=b&f[][value]=2"))
    assert rails.list("f") == [{"name": "a", "value": "1"}, {"name": "b", "value": "2"}]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1", True),
        ("0", False),
        ("true", True),
        ("False", False),
        ("True", True),
        ("", False),
        (True, True),
        (0, False),
    ],
)
def test_booleans(raw: object, expected: bool) -> None:
    assert Params({"b": raw}).bool("b") is expected


def test_json_and_errors() -> None:
    assert Params(parse_json(b'{"sensitive": "0", "poll": {"options": ["a"]}}')).bool("sensitive") is False
    with pytest.raises(BadRequest):
        parse_json(b"[]")
    with pytest.raises(BadRequest):
        parse_query(b"q=%ff")
    with pytest.raises(BadRequest):
        Params({"limit": "ten"}).int("limit")
    with pytest.raises(BadRequest):
        Params({"max_id": "-5"}).id("max_id")
    assert Params({"limit": "20"}).int("limit") == 20
