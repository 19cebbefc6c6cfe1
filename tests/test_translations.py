"""The translation catalogue is complete and in step with the code.

Every message the code marks (``_``, ``n_``, ``N_``) is in locale/uk/LC_MESSAGES/messages.po
with a Ukrainian translation (every plural form), nothing stale is left in it, placeholders
match, and no call translates a computed string (which the catalogue could never hold).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from conftest import ROOT
from guarantee_atlas import i18n
from pseudo_locale import KEYWORDS, code_messages

PLACEHOLDER = re.compile(r"(?<!\{)\{([A-Za-z_][A-Za-z0-9_]*)(?:[:!][^}]*)?\}(?!\})")
CODE_FILES = [ROOT / "app.py", *sorted((ROOT / "pages").glob("*.py")), *sorted((ROOT / "src").rglob("*.py"))]



def catalogue(lang: str = "uk"):
    with i18n.catalogue_path(lang, i18n.DEFAULT_LOCALE_DIR).open("rb") as handle:
        return read_po(handle, locale=i18n.BABEL_LOCALES[lang])


def test_the_code_marks_messages():
    messages = code_messages()
    assert len(messages) > 300, "the interface text goes through the catalogue"
    assert "Map of guarantors" in messages


def test_every_message_in_the_code_has_a_ukrainian_translation():
    po = catalogue()
    missing, fuzzy = [], []
    for msgid, parts in code_messages().items():
        entry = po.get(parts)  # plural entries are keyed by their singular
        if entry is None:
            missing.append(msgid)
            continue
        strings = entry.string if isinstance(entry.string, tuple) else (entry.string,)
        if not all(s.strip() for s in strings):
            missing.append(msgid)
        if entry.fuzzy:
            fuzzy.append(msgid)
    assert missing == [], f"{len(missing)} messages have no Ukrainian (run `make locale` and translate): {missing[:10]}"
    assert fuzzy == [], f"fuzzy (unchecked) translations: {fuzzy[:10]}"


def test_the_catalogue_holds_nothing_the_code_no_longer_says():
    in_code = set(code_messages())
    stale = [m.id if isinstance(m.id, str) else m.id[0] for m in catalogue() if m.id and (
        m.id if isinstance(m.id, str) else m.id[0]) not in in_code]
    assert stale == [], f"messages no longer in the code (run `make locale`): {stale[:10]}"


def test_ukrainian_plurals_have_three_forms():
    po = catalogue()
    assert po.num_plurals == 3
    for message in po:
        if message.pluralizable and message.id:
            assert len(message.string) == 3, message.id


def test_placeholders_match_between_english_and_ukrainian():
    wrong = []
    for message in catalogue():
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        wanted = set().union(*(set(PLACEHOLDER.findall(i)) for i in ids))
        for string in strings:
            if string and set(PLACEHOLDER.findall(string)) != wanted:
                wrong.append((ids[0], string))
    assert wrong == [], f"placeholders differ: {wrong[:5]}"


def _built_text(node: ast.AST) -> bool:
    """An f-string, a concatenation or a ``.format()``: text made at run time, never in the catalogue."""
    if isinstance(node, ast.JoinedStr):
        return True
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Mod)):
        return True
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in ("format", "join")


@pytest.mark.parametrize("path", CODE_FILES, ids=[str(p.relative_to(ROOT)) for p in CODE_FILES])
def test_no_text_made_at_run_time_is_translated(path: Path):
    """``_(f"…")`` could never be in the catalogue: the text would stay English. (A constant marked with
    ``N_`` where it is defined may be translated by name: ``_(vocab.LEVELS[level])``.)"""
    problems = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in KEYWORDS:
            if any(_built_text(arg) for arg in node.args):
                problems.append(f"line {node.lineno}: {ast.unparse(node)[:80]}")
    assert problems == [], "write _(\"… {name} …\").format(name=…) instead"


def test_ukrainian_catalogue_compiles_and_translates():
    i18n.reload()
    with i18n.language("uk"):
        assert i18n._("Map of guarantors") != "Map of guarantors"
    with i18n.language("en"):
        assert i18n._("Map of guarantors") == "Map of guarantors"
