"""Shared fixtures: the bundled data and a headless Chromium driven by Playwright.

Browser tests skip when Chromium or Playwright is missing, except where the environment
variable ``GEO_REQUIRE_BROWSER=1`` is set (``.ci/run`` sets it): there a missing browser
fails the run, so that CI can never pass with its browser tests skipped.
"""

from __future__ import annotations

import logging
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parent.parent

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def _browser_missing(reason: str) -> None:
    if os.environ.get("GEO_REQUIRE_BROWSER") == "1":
        pytest.fail(f"GEO_REQUIRE_BROWSER=1 but {reason}", pytrace=False)
    pytest.skip(reason)


def chromium_executable() -> str | None:
    """Return Debian's Chromium (or ``$GEO_CHROMIUM``), or None when absent."""
    return os.environ.get("GEO_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """A headless Chromium browser (Playwright ``Browser``) shared by the session."""
    executable = chromium_executable()
    if executable is None:
        _browser_missing("Chromium is not installed (apt-get install -y chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _browser_missing("Playwright is not installed (pip install -e '.[test]')")
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        try:
            yield instance
        finally:
            instance.close()


class OfflinePage:
    """A page whose every request to a network host is blocked and recorded."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self.blocked: list[str] = []
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        page.on("pageerror", lambda exc: self.errors.append(str(exc)))
        page.on("dialog", self._on_dialog)

    def _on_dialog(self, dialog: Any) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def route(self, route: Any) -> None:
        url = route.request.url
        if url.startswith(("file:", "data:", "blob:", "about:")):
            route.continue_()
        else:
            self.blocked.append(url)
            route.abort()


@pytest.fixture
def offline_page(browser: Any) -> Iterator[OfflinePage]:
    """A fresh page with the network blocked; ``.blocked`` lists refused requests."""
    context = browser.new_context(viewport={"width": 1280, "height": 800}, offline=True)
    page = context.new_page()
    wrapper = OfflinePage(page)
    context.route("**/*", wrapper.route)
    try:
        yield wrapper
    finally:
        context.close()


@pytest.fixture(scope="session")
def repo_root() -> Path:
    """The checkout's top folder."""
    return REPO


@pytest.fixture
def geo_log(caplog: pytest.LogCaptureFixture) -> Iterator[pytest.LogCaptureFixture]:
    """caplog, also when a CLI test has stopped the "geo" logger from propagating."""
    logger = logging.getLogger("geo")
    logger.addHandler(caplog.handler)
    level = logger.level
    logger.setLevel(logging.INFO)
    try:
        yield caplog
    finally:
        logger.removeHandler(caplog.handler)
        logger.setLevel(level)


@pytest.fixture(autouse=True)
def _progress_default_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test starts with bars off, as in Python: ``geo``'s main turns ``geo.progress.DEFAULT``
    on for the process, and a CliRunner call in a module-scoped fixture would leave it on."""
    from geo import progress

    monkeypatch.setattr(progress, "DEFAULT", False)


@pytest.fixture
def counted_builds(tmp_path, monkeypatch):
    """Corridors cached in a fresh, empty folder (``tmp_path / "cache"``), every real build counted.

    Yields the list of ``(km, side, border)`` of the corridors actually built.
    """
    from geo import settings
    from geo.geodesy import corridor

    monkeypatch.setattr(settings, "CACHE_DIR", str(tmp_path / "cache"))
    builds: list[tuple[float, str | None, str]] = []
    real_build = corridor._build

    def counting(km, side, border):
        builds.append((km, side, border))
        return real_build(km, side, border)

    monkeypatch.setattr(corridor, "_build", counting)
    corridor.border_corridor.cache_clear()
    yield builds
    corridor.border_corridor.cache_clear()
