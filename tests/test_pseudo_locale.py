"""Pseudo-locale in AppTest: with a catalogue that marks every translation ⟦like this⟧, a page read
in Ukrainian shows no English word outside the marks, bar links to sources (published titles).

A hard-coded English label, a date from strftime or an untranslated chart title fails here.
"""

from __future__ import annotations

import pytest

from guarantee_atlas import i18n
from guarantee_atlas.layout import available_pages
from pseudo_locale import english_left, write_pseudo_catalogue

PAGES = available_pages()
PAGE_QUERY = {"country": {"country": "POL"}}
TEXT_FIELDS = ("body", "label", "help", "placeholder", "value", "text", "caption")


@pytest.fixture(scope="module")
def pseudo_catalogue(tmp_path_factory):
    return write_pseudo_catalogue(tmp_path_factory.mktemp("pseudo-locale"))


def shown_texts(at) -> list[str]:
    """Every string an element shows: bodies, labels, help, placeholders, option labels."""
    texts: list[str] = []

    def visit(node):
        proto = getattr(node, "proto", None)
        if proto is not None and hasattr(proto, "ListFields"):
            for field, value in proto.ListFields():
                if field.name in TEXT_FIELDS and isinstance(value, str):
                    texts.append(value)
                elif field.name == "options" and not isinstance(value, (str, bytes)):
                    texts.extend(v for v in value if isinstance(v, str))
        for child in getattr(node, "children", {}).values():
            visit(child)

    visit(at._tree)
    return texts


@pytest.mark.parametrize("info", PAGES, ids=[p.page_id for p in PAGES])
def test_every_interface_text_goes_through_the_catalogue(run_page, monkeypatch, pseudo_catalogue, info):
    monkeypatch.setenv("GUARANTEE_ATLAS_LOCALE_DIR", str(pseudo_catalogue))
    i18n.reload()
    try:
        at = run_page(info.path, query={"lang": "uk", **PAGE_QUERY.get(info.page_id, {})})
        assert not at.exception
        texts = shown_texts(at)
        assert any("⟦" in t for t in texts)
        leftovers = sorted({f"{word!r} in {text[:90]!r}" for text in texts if (word := english_left(text))})
        assert leftovers == [], f"{len(leftovers)} texts skip the catalogue on {info.page_id}:\n" + "\n".join(leftovers[:15])
    finally:
        monkeypatch.delenv("GUARANTEE_ATLAS_LOCALE_DIR")
        i18n.reload()
