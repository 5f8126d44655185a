"""What the figures read from a result: sides (with ``outside``), the stored bands, periods, sources."""

from __future__ import annotations

import pandas as pd
import pytest

from geo import settings
from geo.errors import GeoValueError
from geo.plot import data


def test_sides_include_outside_and_fall_back_to_country():
    frame = pd.DataFrame({"border_side": ["PAK", "Outside", None, "x"], "country": [None, None, "IRN", None]})
    assert data.side_column(frame).tolist() == ["PAK", "outside", "IRN", ""]


def test_band_edges_come_from_the_stored_labels_not_the_defaults():
    frame = pd.DataFrame({"distance_band": ["0–5 km", "5–30 km", "30+ km", None]})
    assert data.band_edges(frame) == (5.0, 30.0)
    assert data.band_edges(pd.DataFrame({"x": [1]})) == tuple(float(v) for v in settings.DEFAULT_BANDS_KM)
    frame.attrs["bands_km"] = (7, 70)
    assert data.band_edges(frame) == (7.0, 70.0)


def test_band_column_prefers_the_stored_label():
    frame = pd.DataFrame({"distance_band": ["0–5 km", None], "border_distance_km": [50.0, 3.0]})
    assert data.band_column(frame, (5.0, 30.0)).tolist() == ["0–5 km", "0–5 km"]


@pytest.mark.parametrize(("days", "freq"), [(30, "W"), (183, "W"), (400, "M"), (3650, "M"), (4000, "Y")])
def test_period_from_the_span(days, freq):
    dates = pd.Series(pd.Timestamp("2016-01-01") + pd.to_timedelta([0, days], unit="D"))
    assert data.choose_freq(dates) == freq
    assert data.choose_freq(dates, "year") == "Y"


def test_weeks_start_on_monday():
    got = data.periods(pd.Series(pd.to_datetime(["2024-01-17", "2024-01-21", "2024-01-22"])), "W")
    assert got.dt.strftime("%Y-%m-%d").tolist() == ["2024-01-15", "2024-01-15", "2024-01-22"]


def test_bad_choices_name_the_allowed_values():
    with pytest.raises(GeoValueError, match=r"unknown freq 'day'; choose one of \['week', 'month', 'year'\]"):
        data.choose_freq(pd.Series([], dtype="datetime64[ns]"), "day")


def test_source_is_the_file_name_or_the_source_column():
    assert data.incident_source(pd.DataFrame(), "/tmp/x/acled.csv") == "acled.csv"
    many = pd.DataFrame({"source": ["d", "c", "b", "a", "a"]})
    assert data.incident_source(many) == "a, b, c and 1 more"
