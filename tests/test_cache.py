"""The disk cache: entries keyed by their inputs, rebuilt when damaged, never a failure."""

from __future__ import annotations

import numpy as np
import pytest

from geo import cache, settings


@pytest.fixture
def folder(tmp_path, monkeypatch):
    monkeypatch.setattr(settings, "CACHE_DIR", str(tmp_path))
    return tmp_path


def _counting():
    calls = []

    def build():
        calls.append(1)
        return {"values": np.arange(5.0), "names": np.array(["a", "b"])}

    return calls, build


def test_entries_are_reused_and_keyed(folder):
    calls, build = _counting()
    first = cache.cached_arrays("demo", {"sha256": "abc", "n": 5}, build)
    again = cache.cached_arrays("demo", {"n": 5, "sha256": "abc"}, build)  # key order does not matter
    assert len(calls) == 1
    np.testing.assert_array_equal(again["values"], first["values"])
    assert again["names"].tolist() == ["a", "b"]
    cache.cached_arrays("demo", {"sha256": "abd", "n": 5}, build)
    assert len(calls) == 2
    assert len(list((folder / "demo").glob("*.npz"))) == 2


def test_a_file_holding_another_key_is_not_trusted(folder):
    calls, build = _counting()
    cache.cached_arrays("demo", {"k": 1}, build)
    cache.cached_arrays("demo", {"k": 2}, build)
    one, two = cache.cache_path("demo", {"k": 1}), cache.cache_path("demo", {"k": 2})
    one.write_bytes(two.read_bytes())  # right checksum, wrong entry
    cache.cached_arrays("demo", {"k": 1}, build)
    assert len(calls) == 3


def test_garbage_is_rebuilt(folder):
    calls, build = _counting()
    cache.cached_arrays("demo", {"k": 1}, build)
    cache.cache_path("demo", {"k": 1}).write_bytes(b"\x00" * 10)
    out = cache.cached_arrays("demo", {"k": 1}, build)
    assert len(calls) == 2 and out["values"].tolist() == [0, 1, 2, 3, 4]


def test_an_unwritable_folder_costs_speed_not_the_result(tmp_path, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setattr(settings, "CACHE_DIR", str(blocker))
    calls, build = _counting()
    assert cache.cached_arrays("demo", {"k": 1}, build)["values"].size == 5
    assert cache.cached_arrays("demo", {"k": 1}, build)["values"].size == 5
    assert len(calls) == 2


def test_caching_can_be_turned_off(folder, monkeypatch):
    monkeypatch.setattr(settings, "USE_CACHE", False)
    calls, build = _counting()
    cache.cached_arrays("demo", {"k": 1}, build)
    cache.cached_arrays("demo", {"k": 1}, build)
    assert len(calls) == 2 and not (folder / "demo").exists()


def test_the_folder_follows_settings_then_the_environment(tmp_path, monkeypatch):
    monkeypatch.setattr(settings, "CACHE_DIR", None)
    monkeypatch.setenv(cache.CACHE_ENV, str(tmp_path / "env"))
    assert cache.cache_dir() == tmp_path / "env"
    monkeypatch.delenv(cache.CACHE_ENV)
    import platformdirs

    assert cache.cache_dir() == __import__("pathlib").Path(platformdirs.user_cache_dir("geo", appauthor=False))
