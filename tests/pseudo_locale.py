"""A pseudo-locale for tests: a Ukrainian catalogue whose every translation is the English inside ⟦ ⟧.

Run a page in it and any interface text without the marks was never translated: a
hard-coded English label shows up at once, in AppTest and in Chromium.
"""

from __future__ import annotations

import re
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import write_po

from conftest import ROOT
from guarantee_atlas import i18n

OPEN, CLOSE = "⟦", "⟧"
KEYWORDS = {"_": None, "N_": None, "n_": (1, 2)}
METHOD_MAP = [("app.py", "python"), ("pages/**.py", "python"), ("src/**.py", "python")]


def code_messages() -> dict[str, tuple[str, ...]]:
    """Every message id in the code (plural ones as (singular, plural)), as ``make locale`` extracts them."""
    found: dict[str, tuple[str, ...]] = {}
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(ROOT), method_map=METHOD_MAP, keywords=KEYWORDS
    ):
        parts = message if isinstance(message, tuple) else (message,)
        found[parts[0]] = parts
    return found


MARKDOWN_PREFIX = re.compile(r"^(\s*(?:[-*] |\d+\. |#+ |> )?)(.*)$")


def mark(text: str) -> str:
    """``text`` marked, line by line (after a line's list, heading or quote sign), so that a message of
    several paragraphs or list items is marked in each block it becomes on the page."""
    lines = []
    for line in text.split("\n"):
        prefix, rest = MARKDOWN_PREFIX.match(line).groups()
        lines.append(f"{prefix}{OPEN}{rest}{CLOSE}" if rest.strip() else line)
    return "\n".join(lines)


def write_pseudo_catalogue(folder: Path, lang: str = "uk") -> Path:
    """Write ``folder/<lang>/LC_MESSAGES/messages.po`` with every message marked; returns ``folder``."""
    catalogue = Catalog(locale=i18n.BABEL_LOCALES[lang], domain=i18n.DOMAIN)
    for parts in code_messages().values():
        if len(parts) == 2:
            catalogue.add(parts, tuple(mark(p) for p in (parts[0], parts[1], parts[1])))
        else:
            catalogue.add(parts[0], mark(parts[0]))
    path = i18n.catalogue_path(lang, folder)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as handle:
        write_po(handle, catalogue)
    return folder


# Names that stay as they are in every language: the app's name, licence names.
UNTRANSLATED_NAMES = ("Guarantee Atlas", "Kiel Ukraine Support Tracker", "Ukraine Support Tracker", "CC BY",
                      "Creative Commons")


def strip_marked(text: str) -> str:
    """``text`` without its marked (translated) parts and the names that are never translated."""
    for name in UNTRANSLATED_NAMES:
        text = text.replace(name, "")
    out, depth = [], 0
    for char in text:
        if char == OPEN:
            depth += 1
        elif char == CLOSE:
            depth = max(0, depth - 1)
        elif depth == 0:
            out.append(char)
    return "".join(out)


ENGLISH_WORDS = re.compile(r"\b[A-Za-z]{3,}(?:[ -]+[A-Za-z]{2,})+\b")
LINK = re.compile(r"\[((?:[^\[\]]|\[[^\]]*\])*)\]\([^)]*\)")  # [text](url): text as published
URL = re.compile(r"https?://\S+")
TAG = re.compile(r'</?[a-z]+(?: [a-z-]+="[^"]*")*>')  # the compare page's own tags: <div class="cmp-cell">
# An original kept beside its Ukrainian in the data and its documentation, as the translators' convention
# asks: «обов'язкові» (legally binding), англ. "Budapest Memorandum (1994)", names as published in quotes.
# Interface text is marked as a whole, brackets and quotes included, so leaving them out hides none of it.
QUOTED_ORIGINAL = re.compile(r"\([^()]*\)|«[^«»]*»|\"[^\"]*\"")


def english_left(text: str) -> str | None:
    """English words in ``text`` outside the marks, links, URLs and quoted originals: text that skipped the catalogue."""
    unmarked = TAG.sub("", URL.sub("", LINK.sub("", strip_marked(text))))
    found = ENGLISH_WORDS.search(QUOTED_ORIGINAL.sub("", unmarked))
    return found.group(0) if found else None
