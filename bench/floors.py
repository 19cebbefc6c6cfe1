"""The floor of a view's filter change: the same charts alone on a page, updated by the app's chart element.

For each view and filter, ``capture`` runs the view in AppTest in each state the
benchmark switches between (no country / Poland; each model; no country and each
country of a first-time change in turn) and keeps the
figures its charts send, exactly as built (figure JSON, config, label). The
baseline server's ``?variant=floor&floor=<name>`` page (``baseline_app.py``)
draws those charts with ``guarantee_atlas.plot_element`` and nothing else, a
selectbox switching the state: a change there costs what redrawing the view's
own charts costs, the floor under the view's filter change in the same run.

    python bench/floors.py        # capture every floor and print what was kept
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

ROOT = Path(__file__).resolve().parents[1]
FLOORS_DIR = ROOT / "bench" / ".floors"  # written by the benchmark, read by baseline_app.py; not committed
COUNTRY_CODE = "POL"  # the country filter_change.py toggles (Poland)
# The countries filter_change.py adds for its first-time changes, each from no country and removed again.
FIRST_TIME_CODES = {"Germany": "DEU", "France": "FRA", "Japan": "JPN", "Canada": "CAN", "Italy": "ITA"}
FIRST_TIME = "country, first time"


def slug(view: str, filter_name: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in f"{view}-{filter_name}").strip("-")


def _script(path: str) -> str:
    """The page script of a view's path (``/map?view=side`` → pages/1_map.py)."""
    from guarantee_atlas.layout import available_pages

    page_path = urlsplit(path).path
    return next(info.path for info in available_pages() if info.url_path == page_path)


def _payloads(script: str, query: dict[str, str], data: Path | None) -> list[dict]:
    from streamlit.testing.v1 import AppTest

    from guarantee_atlas import layout
    from guarantee_atlas.plot_element import COMPONENT_NAME

    if data is not None:
        os.environ["GUARANTEE_ATLAS_DATA_DIR"] = str(data)
    layout.dataset.clear()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    if script != "app.py":
        at.switch_page(script)
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    if at.exception:
        raise RuntimeError(f"{script} {query}: {at.exception[0].message}")
    charts = [el for el in at.get("bidi_component") if el.proto.component_name == COMPONENT_NAME]
    return [json.loads(el.proto.bytes) for el in charts]


def states(path: str, filter_name: str, model_ids: list[str]) -> list[dict[str, str]]:
    """The link of each state the benchmark switches the view between."""
    base = dict(parse_qsl(urlsplit(path).query))
    if filter_name == "country":
        return [base, {**base, "countries": COUNTRY_CODE}]
    if filter_name == FIRST_TIME:  # no country, the first one, no country, the second one, …
        return [state for code in FIRST_TIME_CODES.values() for state in (base, {**base, "countries": code})]
    return [{**base, "model": model} for model in model_ids]


def capture(view: str, path: str, filter_name: str, data: Path | None) -> str:
    """Write the view's charts in each state to ``FLOORS_DIR``; returns the floor's name for ``?floor=``."""
    from guarantee_atlas.data import load_dataset

    models = load_dataset(data).registry.ids
    script = _script(path)
    by_query: dict[tuple, list[dict]] = {}  # a state that comes again is captured once
    for query in states(path, filter_name, models):
        key = tuple(sorted(query.items()))
        if key not in by_query:
            by_query[key] = [
                {"figure": p["figure"], "config": p["config"], "label": p["label"], "selectable": p["selectable"]}
                for p in _payloads(script, query, data)
            ]
    captured = [by_query[tuple(sorted(query.items()))] for query in states(path, filter_name, models)]
    FLOORS_DIR.mkdir(exist_ok=True)
    name = slug(view, filter_name)
    (FLOORS_DIR / f"{name}.json").write_text(json.dumps({"view": view, "filter": filter_name, "states": captured}))
    return name


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT / "bench"))
    import harness

    data, label = harness.data_dir()
    print(f"Floors of every view on {label}:")
    for view, path in harness.views().items():
        for filter_name in ("country", FIRST_TIME, "model"):
            name = capture(view, path, filter_name, data)
            kept = json.loads((FLOORS_DIR / f"{name}.json").read_text())["states"]
            print(f"- {name}: {len(kept)} states, {[len(s) for s in kept]} charts")
