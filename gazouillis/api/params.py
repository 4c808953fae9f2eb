"""Request parameters as Mastodon clients send them, merged from the query string and the body.

Clients encode the same call many ways (see the API spec, "Request encodings"): form or JSON or
multipart bodies, ``k[]=`` / repeated ``k`` / indexed ``k[0]`` arrays, Rails-style ``a[b]`` hashes,
booleans as ``1/0/true/false/True`` or JSON strings. :class:`Params` reads all of them one way.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qsl

import orjson
from starlette.datastructures import UploadFile

from gazouillis.errors import BadRequest

_KEY = re.compile(r"^([^\[\]]+)((?:\[[^\[\]]*\])*)$")
_FALSE = {"false", "0", "f", "off", "no", "", "none", "null"}


def _decode(raw: bytes, what: str) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BadRequest(f"The {what} is not valid UTF-8") from exc


def _assign(target: dict[str, Any], key: str, value: Any) -> None:
    match = _KEY.match(key)
    if match is None:
        target[key] = value
        return
    name, brackets = match.group(1), match.group(2)
    parts = re.findall(r"\[([^\[\]]*)\]", brackets)
    node: Any = target
    path = [name, *parts]
    for i, part in enumerate(path):
        last = i == len(path) - 1
        following = None if last else path[i + 1]
        if part == "":  # k[] : append
            if not isinstance(node, list):
                return
            if last:
                node.append(value)
            else:
                # k[][name]=…: start a new element when the current last one already has this key.
                if not node or not isinstance(node[-1], dict) or following in node[-1]:
                    node.append({})
                node = node[-1]
            continue
        if not isinstance(node, dict):
            return
        if last:
            existing = node.get(part)
            if existing is None:
                node[part] = value
            elif isinstance(existing, list):
                existing.append(value)
            else:
                node[part] = [existing, value]  # repeated plain key: k=a&k=b
        else:
            container: Any = [] if following == "" else {}
            current = node.get(part)
            if not isinstance(current, type(container)):
                node[part] = container
            node = node[part]


def parse_pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for key, value in pairs:
        _assign(data, key, value)
    return data


def _parse_urlencoded(raw: bytes, what: str) -> dict[str, Any]:
    try:
        pairs = parse_qsl(_decode(raw, what), keep_blank_values=True, errors="strict")
    except UnicodeDecodeError as exc:  # a percent-escape that is not UTF-8
        raise BadRequest(f"The {what} is not valid UTF-8") from exc
    return parse_pairs(pairs)


def parse_query(raw: bytes) -> dict[str, Any]:
    return _parse_urlencoded(raw, "query string")


def parse_form(raw: bytes) -> dict[str, Any]:
    return _parse_urlencoded(raw, "request body")


def parse_json(raw: bytes) -> dict[str, Any]:
    if not raw.strip():
        return {}
    try:
        value = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise BadRequest("The request body is not valid JSON (or not UTF-8)") from exc
    if not isinstance(value, dict):
        raise BadRequest("The request body must be a JSON object")
    return value


class Params:
    """Typed access to merged parameters; bad values raise BadRequest, absent ones give the default."""

    def __init__(self, data: dict[str, Any], files: dict[str, UploadFile] | None = None) -> None:
        self.data = data
        self.files = files or {}

    def __contains__(self, name: str) -> bool:
        return name in self.data

    def raw(self, name: str) -> Any:
        return self.data.get(name)

    def str(self, name: str, default: str | None = None) -> str | None:
        value = self.data.get(name)
        if value is None:
            return default
        if isinstance(value, list):
            value = value[-1] if value else default
        if isinstance(value, dict):
            raise BadRequest(f"{name} must be a string")
        return value if isinstance(value, str) else str(value)

    def required(self, name: str) -> str:
        value = self.str(name)
        if value is None:
            raise BadRequest(f"`{name}` parameter is missing")
        return value

    def bool(self, name: str, default: bool | None = None) -> bool | None:
        value = self.data.get(name)
        if value is None:
            return default
        if isinstance(value, bool):
            return value
        if isinstance(value, int | float):
            return value != 0
        if isinstance(value, list):
            value = value[-1] if value else ""
        return str(value).strip().lower() not in _FALSE

    def int(self, name: str, default: int | None = None) -> int | None:
        value = self.data.get(name)
        if value is None or value == "":
            return default
        if isinstance(value, bool):
            raise BadRequest(f"{name} must be a number")
        if isinstance(value, int):
            return value
        try:
            return int(str(value).strip())
        except ValueError as exc:
            raise BadRequest(f"{name} must be a number") from exc

    def id(self, name: str) -> int | None:
        """An id parameter; a value that cannot be an id is a bad request."""
        value = self.int(name)
        if value is not None and not 0 <= value < 2**63:
            raise BadRequest(f"{name} is not a valid id")
        return value

    def list(self, name: str) -> list[Any]:
        value = self.data.get(name)
        if value is None:
            return []
        if isinstance(value, list):
            return value
        if isinstance(value, dict):  # indexed form: k[0]=a&k[1]=b
            return [value[k] for k in sorted(value, key=lambda k: (len(k), k))]
        return [value]

    def dict(self, name: str) -> dict[str, Any]:
        value = self.data.get(name)
        return value if isinstance(value, dict) else {}
