"""Text inside every chart image (titles, ticks, legends, labels, source lines, hover labels) is at
least 4.5:1 against what it is drawn on: every page, on the real data, as the browser receives it."""

import pytest

from guarantee_atlas.data import DEFAULT_DATA_DIR
from guarantee_atlas.layout import available_pages
from conftest import chart_payloads

MINIMUM = 4.5
QUERIES = {"map": [{}, {"view": "side"}], "aid": [{}, {"section": "given"}, {"section": "israel"}],
           "country": [{"country": "POL"}], "compare": [{}, {"show": "pair"}]}


def luminance(colour: str) -> float:
    colour = colour.lstrip("#")
    channels = [int(colour[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_contrast_is_computed_as_wcag_says():
    assert round(contrast("#000000", "#FFFFFF"), 1) == 21.0
    assert round(contrast("#777777", "#FFFFFF"), 2) == 4.48  # just below AA


def text_colours(figure: dict) -> list[tuple[str, str, str]]:
    """(where, text colour, background) for every text colour the figure sets."""
    layout = figure["layout"]
    paper = layout.get("paper_bgcolor", "#FFFFFF")
    found = [("font", layout["font"]["color"], paper)]
    hover = layout.get("hoverlabel", {})
    found.append(("hover label", hover.get("font", {}).get("color"), hover.get("bgcolor")))
    for annotation in layout.get("annotations", []):
        found.append((f"annotation {annotation.get('text', '')[:30]!r}", annotation.get("font", {}).get("color"), paper))
    for name, value in layout.items():
        if name.startswith(("xaxis", "yaxis")) and isinstance(value, dict):
            found.append((f"{name} ticks", value.get("tickfont", {}).get("color"), paper))
    found.append(("legend", layout.get("legend", {}).get("font", {}).get("color"), paper))
    for trace in figure["data"]:
        colour = trace.get("textfont", {}).get("color")
        for one in colour if isinstance(colour, list) else [colour]:
            found.append((f"text of {trace.get('name')!r}", one, paper))
    return [(where, colour, ground) for where, colour, ground in found if colour and ground]


@pytest.mark.parametrize("info", available_pages(), ids=[p.page_id for p in available_pages()])
def test_text_in_every_chart_image_meets_aa(run_page, info):
    checked = 0
    for query in QUERIES.get(info.page_id, [{}]):
        at = run_page(info.path, data_dir=DEFAULT_DATA_DIR, query=query)
        assert not at.exception
        for payload in chart_payloads(at):
            colours = text_colours(payload["figure"])
            assert any(where == "hover label" for where, _, _ in colours), "hover labels set their colours"
            low = [(where, c, g, round(contrast(c, g), 2)) for where, c, g in colours if contrast(c, g) < MINIMUM]
            assert low == [], f"{payload['label'][:50]}: {low}"
            checked += 1
    if info.page_id not in ("methodology",):
        assert checked, f"{info.page_id}: no chart checked"
