"""The process-wide memo: keys by content, shares results, and never changes what a page shows."""

import threading

import pandas as pd
import pytest
from conftest import chart_elements

from guarantee_atlas import memo
from guarantee_atlas.data import DEFAULT_DATA_DIR
from guarantee_atlas.layout import PAGES


def test_equal_frames_share_a_fingerprint_and_different_ones_do_not():
    frame = pd.DataFrame({"iso3": ["POL", "DEU"], "n": [1, 2]})
    assert memo.fingerprint(frame) == memo.fingerprint(frame.copy())
    assert memo.fingerprint(frame) != memo.fingerprint(frame.assign(n=[1, 3]))
    assert memo.fingerprint(frame) != memo.fingerprint(frame.rename(columns={"n": "count"}))
    assert memo.fingerprint(frame) != memo.fingerprint(frame.astype({"n": "float64"}))
    assert memo.fingerprint(frame) != memo.fingerprint(frame.iloc[::-1])
    assert memo.fingerprint(frame["iso3"]) != memo.fingerprint(frame)


def test_plain_values_by_value_other_objects_by_identity():
    assert memo.fingerprint(["POL", ("a", 1)]) == memo.fingerprint(["POL", ("a", 1)])
    assert memo.fingerprint(["POL"]) != memo.fingerprint(("POL",))
    first, second = object(), object()
    assert memo.fingerprint(first) == memo.fingerprint(first)
    assert memo.fingerprint(first) != memo.fingerprint(second)


def test_a_memoized_function_runs_once_per_distinct_input_and_keeps_the_last_ones():
    calls = []

    @memo.memoized(maxsize=2)
    def total(frame, column, scale=1):
        calls.append(column)
        return frame[column].sum() * scale

    frame = pd.DataFrame({"a": [1, 2], "b": [3, 4]})
    assert total(frame, "a") == 3
    assert total(frame.copy(), "a") == 3  # same content: no new call
    assert total(frame, "a", scale=2) == 6
    assert total(frame, column="b") == 7
    assert calls == ["a", "a", "b"]
    assert total.cache_size() == 2
    assert total(frame, "a") == 3  # the oldest entry was dropped: computed again
    assert calls == ["a", "a", "b", "a"]
    memo.clear_all()
    assert total.cache_size() == 0


def test_threads_get_the_same_result():
    @memo.memoized()
    def build(frame):
        return frame.sum()

    frame = pd.DataFrame({"a": range(100)})
    results = []
    threads = [threading.Thread(target=lambda: results.append(int(build(frame)["a"]))) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [4950] * 8


def _shown(at) -> dict:
    """What a run shows: every chart's figure JSON and every text (with its help), caption, metric and notice."""
    return {
        "charts": [el.proto.bytes for el in chart_elements(at)],
        "text": [str(el.proto) for kind in ("markdown", "caption", "title", "header", "subheader") for el in getattr(at, kind)],
        "metrics": [(el.label, el.value) for el in at.metric],
        "notices": [el.value for kind in ("info", "warning", "error") for el in getattr(at, kind)],
    }


@pytest.mark.parametrize("info", PAGES, ids=lambda info: info.page_id)
@pytest.mark.parametrize("query", [{}, {"countries": "POL,USA", "model": "ksc"}], ids=["default", "filtered"])
def test_pages_show_the_same_with_results_from_the_memo(run_page, info, query):
    """A run served from the memo matches one that computed everything (no shared result was modified)."""
    memo.clear_all()
    computed = run_page(info.path, data_dir=DEFAULT_DATA_DIR, query=query)
    assert not computed.exception
    served = run_page(info.path, data_dir=DEFAULT_DATA_DIR, query=query, fresh_data=False)
    assert not served.exception
    assert _shown(served) == _shown(computed)


def test_arrays_by_their_values():
    codes = pd.Series(["POL", "DEU", "POL"]).unique()
    assert memo.fingerprint(codes) == memo.fingerprint(pd.Series(["POL", "DEU"]).unique())
    assert memo.fingerprint(codes) != memo.fingerprint(pd.Series(["POL"]).unique())
    assert memo.fingerprint(pd.Index([1, 2]).to_numpy()) != memo.fingerprint(pd.Index([1.5, 2]).to_numpy())
