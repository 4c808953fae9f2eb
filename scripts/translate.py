"""Fill French translations into the catalogue: ``python scripts/translate.py FILE.json …``.

Each file maps English messages (msgid) to French (a list of forms for a plural message). Run
``make messages`` first so the catalogue holds every message of the code; messages it does not hold
are reported and skipped.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

CATALOGUE = Path(__file__).parents[1] / "gazouillis/locale/fr/LC_MESSAGES/messages.po"


def french_typography(text: str) -> str:
    """Typographic apostrophes, and the no-break spaces French puts before « ; ! ? : »."""
    text = text.replace("'", "\u2019")
    text = re.sub(r"\s*([;!?])", "\u202f\\1", text)
    return re.sub(r"\s*:(?=\s|$)", "\u00a0:", text)


def main(paths: list[str]) -> None:
    with CATALOGUE.open("rb") as f:
        catalogue = read_po(f, locale="fr")
    for path in paths:
        for english, french in json.loads(Path(path).read_text()).items():
            message = catalogue.get(english)
            if message is None:
                print(f"not in the catalogue: {english!r}")
                continue
            forms = [french] if isinstance(french, str) else french
            forms = [french_typography(form) for form in forms]
            if message.pluralizable and len(forms) == 1:
                print(f"a plural message needs its forms as a list: {english!r}")
                continue
            message.string = tuple(forms) if message.pluralizable else forms[0]
    with CATALOGUE.open("wb") as f:
        write_po(f, catalogue, no_location=True, sort_output=True, width=76)


if __name__ == "__main__":
    main(sys.argv[1:])
