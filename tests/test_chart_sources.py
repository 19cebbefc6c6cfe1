"""Which publishers a chart names, and in what order: the best-backed first, mirrors last (issue 17)."""

import re

import pandas as pd
import pytest

from guarantee_atlas import chart, citations
from guarantee_atlas.data import load_dataset
from conftest import ROOT, chart_payloads

REAL_DATA = ROOT / "data"
BEST_KINDS = {"primary", "official"}


def _sources(rows):
    return pd.DataFrame(
        rows, columns=["source_id", "publisher", "original_publisher", "title", "url", "published", "kind"]
    )


SOURCES = _sources([
    ("wsj-copy", "Caliber.az (reprint of The Wall Street Journal)", "The Wall Street Journal", "WSJ", "https://caliber.az/a",
     None, "mirror"),
    ("agg", "Otherweb (aggregator)", None, "Item", "https://otherweb.com/x", None, "mirror"),
    ("news-a", "Kyiv Daily", None, "A", "https://kyiv.example/a", None, "news"),
    ("news-b", "Baltic Wire", None, "B", "https://baltic.example/b", None, "news"),
    ("text", "Office of the President", None, "Agreement", "https://president.example/t", None, "primary"),
    ("page", "Ministry of Defence", None, "Release", "https://mod.example/r", None, "official"),
    ("think", "Think Tank", None, "Paper", "https://think.example/p", None, "analysis"),
    ("news-a2", "Kyiv Daily", None, "A2", "https://kyiv.example/a2", None, "news"),
])


def test_ranking_puts_kinds_in_order_then_most_cited_then_name():
    # Rows as a chart holds them: the mirrors come first in the data, the primary text last.
    cited = ["wsj-copy;news-a", "agg;news-b;news-a2", "news-b", "news-b;think", "page", "text;news-a"]
    ranked = citations.ranked_publishers(SOURCES, cited)
    assert list(ranked["label"]) == [
        "Office of the President", "Ministry of Defence", "Think Tank",
        "Baltic Wire",  # news cited by 3 rows
        "Kyiv Daily",  # news cited by 3 rows (two documents, a row citing both counts once), B < K
        "Otherweb (aggregator)", "The Wall Street Journal, via Caliber.az",  # mirrors, one row each: by name
    ]
    assert list(ranked["rows"]) == [1, 1, 1, 3, 3, 1, 1]
    kyiv = ranked.set_index("label").loc["Kyiv Daily"]
    assert kyiv["documents"] == 2 and kyiv["source"]["source_id"] == "news-a"
    kinds = list(ranked["kind"])
    assert kinds.index("mirror") > max(kinds.index("primary"), kinds.index("official"))


def test_counts_order_publishers_of_one_kind():
    cited = ["news-a", "news-b", "news-b", "news-a2"]
    ranked = citations.ranked_publishers(SOURCES[SOURCES["kind"] == "news"], cited)
    assert list(ranked["label"]) == ["Baltic Wire", "Kyiv Daily"]  # 2 rows each: by name
    ranked = citations.ranked_publishers(SOURCES[SOURCES["kind"] == "news"], cited + ["news-b"])
    assert list(ranked[["label", "rows"]].itertuples(index=False, name=None)) == [("Baltic Wire", 3), ("Kyiv Daily", 2)]


def test_mirror_label_names_the_original_publisher_first():
    assert citations.publisher_label(SOURCES.iloc[0]) == "The Wall Street Journal, via Caliber.az"
    assert citations.publisher_label(SOURCES.iloc[1]) == "Otherweb (aggregator)"  # no original recorded
    assert citations.publisher_label(SOURCES.iloc[2]) == "Kyiv Daily"
    newsweek = pd.Series({"publisher": "Newsweek (repost on esenfidanlik.com)", "original_publisher": "Newsweek",
                          "kind": "mirror"})
    assert citations.publisher_label(newsweek) == "Newsweek (repost on esenfidanlik.com)"
    # A table without the column (an older data folder) still labels its rows.
    assert citations.publisher_label(pd.Series({"publisher": "X (copy of Y)", "kind": "mirror"})) == "X (copy of Y)"
    assert citations.mirror_host("UATV (Ukrainian state broadcaster); reprint of the G7 text") == "UATV"


def test_image_names_mirrors_only_when_nothing_better_backs_the_chart():
    few = citations.ranked_publishers(SOURCES[SOURCES["source_id"].isin(["wsj-copy", "agg", "news-a"])],
                                      ["wsj-copy", "agg", "news-a"])
    assert citations.image_publishers(few) == ["Kyiv Daily", "Otherweb (aggregator)",
                                               "The Wall Street Journal, via Caliber.az"]
    # The original itself backs the chart: its copy is not named.
    wsj = _sources([("wsj", "The Wall Street Journal", None, "WSJ", "https://wsj.example/a", None, "news")])
    both = citations.ranked_publishers(pd.concat([SOURCES.iloc[[0]], wsj]), ["wsj-copy", "wsj"])
    assert citations.image_publishers(both) == ["The Wall Street Journal"]
    # Three non-mirror publishers are enough: no mirror.
    many = citations.ranked_publishers(SOURCES, ["wsj-copy", "agg", "news-a", "news-b", "think"])
    assert "mirror" not in {many.set_index("label").loc[label, "kind"] for label in citations.image_publishers(many)}
    assert citations.ranked_publishers(SOURCES.iloc[0:0], []).empty


def test_source_line_and_caption_follow_the_ranking():
    ds = load_dataset(REAL_DATA)
    guarantors = ds.tables["guarantors"]
    spec = chart.ChartSpec(page="map", chart_id="roles", title="T", data=guarantors[guarantors["model_id"] == "israel"])
    line = chart.source_line(ds, spec)
    ranked = chart.chart_publishers(ds, tuple(chart.source_ids(spec)))
    assert line.startswith("Source: " + "; ".join(citations.image_publishers(ranked)[:3]) + " and ")
    assert ranked["kind"].iloc[0] in BEST_KINDS
    caption = chart.caption_markdown(ds, spec)
    links = [citations.citation(row.source, label=row.label) for row in ranked.itertuples(index=False)]
    assert caption.split("Sources: ", 1)[1].startswith(links[0])
    shown = [caption.index(link) for link in links[:12]]
    assert shown == sorted(shown), "the caption links publishers in the ranking's order"
    assert f"and {len(links) - 12} more publishers (all in the CSV)" in caption


# Every chart of every page on the real data: pages with the choices that change which rows a chart shows.
PAGES = [
    ("app.py", {}),
    *[("pages/1_map.py", {"model": model}) for model in ("budapest", "ksc", "israel", "coalition")],
    ("pages/1_map.py", {"view": "side"}),
    *[("pages/2_aid.py", {"section": section}) for section in ("promises", "given", "israel")],
    ("pages/2_aid.py", {"section": "given", "donors": "all"}),
    ("pages/3_compare.py", {}),
    ("pages/4_timeline.py", {}),
    ("pages/4_timeline.py", {"period": "all"}),
    *[("pages/5_country.py", {"country": country}) for country in ("UKR", "USA", "POL", "GBR", "RUS", "JPN")],
    ("pages/6_methodology.py", {}),
]


def _shown_at(text: str, label: str) -> int | None:
    """Where ``label`` is named as a whole publisher in a source line, or None."""
    found = re.search(r"(?:Source: |; )" + re.escape(label) + r"(?=; | and \d+ more| · )", text)
    return found.start() if found else None


@pytest.mark.parametrize(("path", "query"), PAGES, ids=[f"{p}-{q}" for p, q in PAGES])
def test_no_chart_image_names_a_mirror_before_a_primary_or_official_source(run_page, monkeypatch, path, query):
    """Read each figure's in-image source line; a mirror named there must come after every
    primary and official publisher the chart's rows cite (which are then named too)."""
    seen: dict[str, pd.DataFrame] = {}
    original = chart.source_line

    def spy(ds, spec, *args, **kwargs):
        line = original(ds, spec, *args, **kwargs)
        seen[line] = ds.sources_for(chart.source_ids(spec))
        return line

    monkeypatch.setattr(chart, "source_line", spy)
    at = run_page(path, data_dir=REAL_DATA, query=query)
    assert not at.exception
    figures = [payload["figure"] for payload in chart_payloads(at)]
    lines = [a["text"].replace("<br>", " ") for fig in figures for a in fig["layout"].get("annotations", [])
             if a.get("name") == "source_line"]
    assert len(lines) == len(figures)
    for line in lines:
        sources = seen[line]
        labels = {}
        for row in sources.itertuples(index=False):
            for label in {row.publisher, citations.publisher_label(row)}:
                labels.setdefault(label, set()).add(row.kind)
        best = [label for label, kinds in labels.items() if kinds & BEST_KINDS]
        for label, kinds in labels.items():
            where = _shown_at(line, label)
            if where is None or kinds != {"mirror"}:
                continue
            for better in best:
                before = _shown_at(line, better)
                assert before is not None and before < where, (
                    f"{path} {query}: the image's source line names the mirror {label!r} before the "
                    f"{'/'.join(sorted(labels[better] & BEST_KINDS))} source {better!r}: {line}"
                )
