"""geo.legend: the one style and credits table that the map and the figures share."""

from __future__ import annotations

import pandas as pd
from _helpers import embedded_data, render, synthetic_incidents

from geo.legend import CREDITS, EVENT_STYLES, MARKERS, MISSING_TYPE, credit_line, type_styles
from geo.plot.style import present_styles


def test_every_acled_type_has_its_own_colour_and_shape() -> None:
    assert len({s.color for s in EVENT_STYLES.values()}) == len(EVENT_STYLES)
    assert len({s.shape for s in EVENT_STYLES.values()}) == len(EVENT_STYLES)
    assert all(s.shape in MARKERS for s in EVENT_STYLES.values())


def test_battles_look_the_same_on_the_map_and_in_the_figures() -> None:
    frame = synthetic_incidents(4)
    frame["event_type"] = ["Battles", "Riots", None, "Air/drone strike"]
    on_map = {t["name"]: (t["color"], t["shape"]) for t in embedded_data(render(frame))["types"]}
    in_figures = {name: (s.color, s.shape) for name, s in present_styles(frame).items()}
    assert on_map == in_figures
    assert on_map["Battles"] == ("#0072B2", "square")  # Okabe–Ito blue
    assert MISSING_TYPE in on_map


def test_unlisted_types_are_told_apart_and_stable() -> None:
    first = type_styles(["UCDP state-based", "UCDP one-sided", "Battles"])
    again = type_styles(["Battles", "UCDP one-sided", "UCDP state-based"])
    assert first == again
    assert first["UCDP state-based"] != first["UCDP one-sided"]


def test_credits_name_every_bundled_licence_once() -> None:
    line = credit_line("my_export.csv")
    assert line.startswith("Incidents: my_export.csv; ")
    for credit in CREDITS:
        assert line.count(credit.licence) == 1
    assert pd.Series([c.source for c in CREDITS]).is_unique
