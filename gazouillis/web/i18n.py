"""Languages of the pages: negotiation, gettext catalogs (Babel), localized dates and numbers.

Catalogs are read from the ``.po`` files at start-up (no compiled ``.mo`` to keep in sync). Each
language gets its own Jinja environment with its translations installed, so rendering needs no
per-request state.
"""

from __future__ import annotations

import io
from datetime import UTC, datetime
from pathlib import Path

from babel.core import negotiate_locale
from babel.dates import format_date, format_datetime, format_timedelta
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal
from babel.support import NullTranslations, Translations
from jinja2 import Environment, FileSystemLoader, select_autoescape

LANGUAGES = {"en": "English", "fr": "Français"}
DEFAULT_LANGUAGE = "en"
LOCALE_DIR = Path(__file__).resolve().parents[1] / "locale"


def load_translations(language: str) -> NullTranslations:
    """The catalog of ``language`` (English is the source language and needs none)."""
    po = LOCALE_DIR / language / "LC_MESSAGES" / "messages.po"
    if language == DEFAULT_LANGUAGE or not po.exists():
        return NullTranslations()
    with po.open("rb") as f:
        catalog = read_po(f, locale=language)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return Translations(buffer)


def negotiate(accept_language: str) -> str:
    """The best of our languages for an ``Accept-Language`` header."""
    preferred = []
    for part in accept_language.split(","):
        tag, _, q = part.strip().partition(";q=")
        try:
            weight = float(q) if q else 1.0
        except ValueError:
            weight = 0.0
        if tag and tag != "*":
            preferred.append((weight, tag.replace("-", "_")))
    ordered = [tag for _, tag in sorted(preferred, key=lambda p: -p[0])]
    return negotiate_locale(ordered, list(LANGUAGES), sep="_") or next(
        (lang for tag in ordered for lang in LANGUAGES if tag.lower().startswith(lang)), DEFAULT_LANGUAGE
    )


def relative_time(value: datetime, language: str, now: datetime | None = None) -> str:
    """ "il y a 5 min" / "5 min ago"."""
    delta = value - (now or datetime.now(UTC))
    return format_timedelta(delta, add_direction=True, format="short", locale=language, threshold=1)


def exact_time(value: datetime, language: str) -> str:
    return format_datetime(value, format="medium", tzinfo=UTC, locale=language) + " UTC"


def build_environments(template_dir: Path) -> dict[str, Environment]:
    """One Jinja environment per language, with gettext and the localized filters installed."""
    environments = {}
    for language in LANGUAGES:
        env = Environment(
            loader=FileSystemLoader(template_dir),
            autoescape=select_autoescape(),
            extensions=["jinja2.ext.i18n"],
            trim_blocks=True,
            lstrip_blocks=True,
        )
        translations = load_translations(language)
        env.install_gettext_translations(translations, newstyle=True)  # type: ignore[attr-defined]
        env.globals["translations"] = translations  # for messages built in Python code
        env.filters["reltime"] = lambda v, lang=language: relative_time(v, lang)
        env.filters["exacttime"] = lambda v, lang=language: exact_time(v, lang)
        env.filters["isotime"] = lambda v: v.astimezone(UTC).isoformat(timespec="seconds")
        env.filters["number"] = lambda v, lang=language: format_decimal(v, locale=lang)
        env.filters["monthyear"] = lambda v, lang=language: format_date(v, format="MMMM y", locale=lang)
        env.globals["language"] = language
        env.globals["languages"] = LANGUAGES
        environments[language] = env
    return environments
