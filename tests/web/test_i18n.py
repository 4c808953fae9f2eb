"""The pages in French: the catalog covers every text of the code, and the pages really come out in French.

The catalog test extracts the texts afresh (as ``make messages`` does), so it fails as soon as someone adds a
text to a template or a handler without translating it.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po, write_po

from tests.web.conftest import Browser

ROOT = Path(__file__).resolve().parents[2]
PO_FILE = ROOT / "gazouillis" / "locale" / "fr" / "LC_MESSAGES" / "messages.po"
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")
FRENCH = {"Accept-Language": "fr"}
ENGLISH = {"Accept-Language": "en"}


def _walk_only_the_package(path: str) -> bool:
    """Where the extraction looks: the package (babel.cfg maps nothing else), not the tests or the venv."""
    top = Path(path).relative_to(ROOT).parts[:1]
    return top in ((), ("gazouillis",))


@pytest.fixture(scope="module")
def code_messages(tmp_path_factory: pytest.TempPathFactory) -> list[Message]:
    """The template of the catalog, extracted now from the code and templates as ``make messages`` does."""
    with (ROOT / "babel.cfg").open() as f:
        method_map, options_map = parse_mapping_cfg(f)
    template = Catalog(project="gazouillis")
    keywords = {**DEFAULT_KEYWORDS, "N_": None}
    found = extract_from_dir(
        ROOT, method_map, options_map, keywords=keywords, directory_filter=_walk_only_the_package
    )
    for filename, lineno, message, comments, context in found:
        template.add(message, locations=[(filename, lineno)], auto_comments=comments, context=context)
    pot = tmp_path_factory.mktemp("i18n") / "messages.pot"
    with pot.open("wb") as f:
        write_po(f, template)
    with pot.open("rb") as f:
        return [m for m in read_po(f) if m.id]


@pytest.fixture(scope="module")
def french() -> Catalog:
    with PO_FILE.open("rb") as f:
        return read_po(f, locale="fr")


def _forms(value: str | tuple[str, ...] | list[str] | None) -> tuple[str, ...]:
    if value is None:
        return ("",)
    return (value,) if isinstance(value, str) else tuple(value)


def test_the_extraction_finds_the_texts_of_the_code(code_messages: list[Message]) -> None:
    ids = {m.id if isinstance(m.id, str) else m.id[0] for m in code_messages}
    assert {"Log in", "What's happening?", "Password is too easy to guess", "Choose a username."} <= ids
    assert len(ids) > 150


def test_the_french_catalog_header(french: Catalog) -> None:
    assert str(french.locale) == "fr"
    assert french.plural_forms == "nplurals=2; plural=(n > 1);"
    assert french.project == "gazouillis"
    assert not french.fuzzy
    assert "EMAIL@ADDRESS" not in french.last_translator + str(french.msgid_bugs_address)


def test_every_text_of_the_code_has_a_french_translation(
    code_messages: list[Message], french: Catalog
) -> None:
    problems = []
    for message in code_messages:
        translated = french.get(message.id, message.context)
        if translated is None:
            problems.append(f"missing (run `make messages`, then translate): {message.id!r}")
            continue
        if translated.fuzzy:
            problems.append(f"fuzzy: {message.id!r}")
        forms = _forms(translated.string)
        expected = french.num_plurals if message.pluralizable else 1
        if len(forms) != expected or not all(form.strip() for form in forms):
            problems.append(f"not translated: {message.id!r}")
        wanted = {name for source in _forms(message.id) for name in PLACEHOLDER.findall(source)}
        for form in forms:
            if form.strip() and set(PLACEHOLDER.findall(form)) != wanted:
                problems.append(f"placeholders {sorted(wanted)} expected: {form!r}")
    assert not problems, "messages.po is not complete:\n" + "\n".join(problems)


def test_french_texts_follow_french_typography(french: Catalog) -> None:
    """A no-break space before « : ; ! ? », typographic apostrophes, HTML only where the English has some."""
    wrong = []
    for message in french:
        if not message.id:
            continue
        for source, form in zip(_forms(message.id), _forms(message.string), strict=False):
            spacing = re.search(r"(^|[^\u00a0\u202f])[;!?]|[^\u00a0\u202f]:(\s|$)", form)
            if spacing or "'" in form or ("<" in form) != ("<" in source):
                wrong.append(form)
    assert not wrong, wrong


# -- Pages ---------------------------------------------------------------------------------------------


def _text(page: str) -> str:
    """What a reader sees (tags dropped, entities decoded)."""
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


def test_a_visitor_asking_for_french_gets_french_pages(browser: Browser) -> None:
    landing = browser.get("/", headers=FRENCH)
    assert landing.status_code == 200
    assert '<html lang="fr">' in landing.text
    assert "Créer un compte" in landing.text and "Fil local" in landing.text

    sign_in = browser.get("/auth/sign_in", headers=FRENCH)
    assert '<html lang="fr">' in sign_in.text
    assert "<h1>Se connecter</h1>" in sign_in.text
    assert "Adresse e-mail ou nom d’utilisateur" in sign_in.text
    # The switcher keeps the languages' own names.
    assert ">English</option>" in sign_in.text and ">Français</option>" in sign_in.text


@pytest.fixture
def camille_in_french(browser: Browser, drain: Any) -> Iterator[Browser]:
    browser.sign_up("camille")
    r = browser.post("/settings/language", {"language": "fr", "next": "/"}, follow_redirects=True)
    assert r.status_code == 200
    r = browser.post("/statuses", {"status": "Bonjour tout le monde", "visibility": "public"})
    assert r.status_code in (200, 303), r.text
    drain()
    yield browser


def test_a_member_who_chose_french_reads_the_home_page_in_french(camille_in_french: Browser) -> None:
    # No Accept-Language: the language comes from the member's choice.
    home = camille_in_french.get("/")
    assert '<html lang="fr">' in home.text
    assert '<label for="status">Quoi de neuf\u202f?</label>' in home.text
    assert "Bonjour tout le monde" in home.text
    assert re.search(r'<time datetime="[^"]+" title="[^"]+">il y a ', home.text), home.text
    assert re.search(r'id="compose-submit"[^>]*>Publier</button>', home.text)
    for label in ("Accueil", "Signets", "Favoris", "Paramètres", "Se déconnecter", "Repartager", "J’aime"):
        assert label in home.text, label
    # Counts agree with their number the French way (0 and 1 are singular); "Post" the noun is not the verb.
    profile = camille_in_french.get("/@camille")
    assert "<strong>1</strong> Message</a>" in profile.text
    assert "<strong>0</strong> Abonné</a>" in profile.text and "Abonnements" in profile.text
    assert "Ici depuis " in profile.text


def test_an_error_beside_a_field_is_in_french(camille_in_french: Browser) -> None:
    r = camille_in_french.post("/statuses", {"status": "a" * 281, "visibility": "public"})
    assert r.status_code == 422
    error = '<p class="error" id="status-error" role="alert">Ce message fait 1 caractère de trop.</p>'
    assert error in r.text
    r = camille_in_french.post("/statuses", {"status": "a" * 285, "visibility": "public"})
    assert "Ce message fait 5 caractères de trop." in r.text


def test_sign_up_errors_are_in_french(browser: Browser) -> None:
    browser.get("/auth/sign_up", headers=FRENCH)
    r = browser.post("/auth/sign_up", {"username": "", "email": "bad", "password": "123"}, headers=FRENCH)
    assert r.status_code == 422
    assert "Choisissez un nom d’utilisateur." in r.text
    assert "Cette adresse e-mail n’est pas valide." in r.text
    assert "Le mot de passe est trop court (8 caractères au minimum)" in r.text


def test_english_stays_the_source_language(browser: Browser, french: Catalog) -> None:
    sign_in = browser.get("/auth/sign_in", headers=ENGLISH)
    assert '<html lang="en">' in sign_in.text
    assert "<h1>Log in</h1>" in sign_in.text
    browser.sign_up("robin")
    home = browser.get("/", headers=FRENCH)  # the member's language (English, chosen at sign-up) wins
    assert '<html lang="en">' in home.text
    assert '<label for="status">What\'s happening?</label>' in home.text
    assert re.search(r'id="compose-submit"[^>]*>Post</button>', home.text)
    # No French text on the English pages: none of the catalog's sentences or multi-word labels.
    french_texts = {
        form
        for message in french
        if message.id
        for source, form in zip(_forms(message.id), _forms(message.string), strict=False)
        if form != source and (" " in form or not form.isascii())
    }
    for page in (sign_in.text, home.text):
        shown = _text(page)
        found = [t for t in french_texts if "%(" not in t and re.search(rf"\b{re.escape(t)}\b", shown)]
        assert not found, found
