"""geo.files: atomic writes, folder swaps, output checks and SIGTERM clean-up."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from geo.errors import OutputPathError
from geo.files import (
    atomic_write,
    check_output_dir,
    check_output_path,
    no_clobber,
    replace_dir,
    staging_dir,
    temp_prefix,
)

REPO = Path(__file__).resolve().parent.parent


def _hidden(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


def read_only_folder(tmp_path: Path) -> Path:
    """A folder this process cannot write in (root ignores permissions: /sys then)."""
    if os.geteuid() == 0:
        return Path("/sys")
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o555)
    return folder


def test_a_long_legal_name_gets_a_temporary_name_that_fits(tmp_path: Path) -> None:
    # 240 characters plus .geojson: legal, but ".NAME.XXXXXXXX.tmp" was 262 bytes
    target = tmp_path / ("a" * 240 + ".geojson")
    with atomic_write(target) as handle:
        handle.write("{}")
    assert target.read_text() == "{}"
    assert _hidden(tmp_path) == []
    prefix = temp_prefix("é" * 200, tmp_path)  # cut on a character, not inside one
    assert len(prefix.encode()) + 12 <= 255 and prefix.startswith(".é")


def test_no_clobber_keeps_an_existing_file_and_leaves_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    target.write_text("mine")
    with no_clobber(), pytest.raises(OutputPathError, match="--no-clobber keeps it"), atomic_write(target) as handle:
        handle.write("theirs")
    assert target.read_text() == "mine" and _hidden(tmp_path) == []
    with no_clobber(), atomic_write(tmp_path / "new.csv") as handle:
        handle.write("new")
    assert (tmp_path / "new.csv").read_text() == "new"


def test_replace_dir_swaps_whole_folders(tmp_path: Path) -> None:
    old = tmp_path / "out"
    (old / "figures").mkdir(parents=True)
    (old / "figures" / "timeline.png").write_text("old")
    new = staging_dir(old)
    (new / "map.html").write_text("new")
    replace_dir(new, old)
    assert sorted(p.relative_to(old).as_posix() for p in old.rglob("*")) == ["map.html"]
    assert _hidden(tmp_path) == []


def test_staging_folders_get_the_permissions_of_mkdir(tmp_path: Path) -> None:
    plain = tmp_path / "plain"
    plain.mkdir()
    staged = staging_dir(tmp_path / "out")
    assert staged.parent == tmp_path and staged.name.startswith(".out.")
    assert staged.stat().st_mode & 0o777 == plain.stat().st_mode & 0o777


def test_check_output_path_refuses_what_would_fail_or_destroy(tmp_path: Path) -> None:
    source = tmp_path / "in.csv"
    source.write_text("id\n")
    (tmp_path / "link.csv").symlink_to(source)
    os.link(source, tmp_path / "hard.csv")
    (tmp_path / "folder.csv").mkdir()
    cases = {
        str(source): "it is the input",
        str(tmp_path / "link.csv"): "it is the input",
        str(tmp_path / "hard.csv"): "it is the input",
        str(tmp_path / "folder.csv"): "it is a folder",
        str(tmp_path / "out") + "/": "it names a folder",
        str(source / "out.csv"): "in.csv' is a file, not a folder",
        str(source / "deeper" / "out.csv"): "in.csv' is a file, not a folder",
        str(tmp_path / ("b" * 256 + ".csv")): "file systems take at most 255",
        str(tmp_path / ("b/" * 2100)) + "x.csv": "the system takes at most 4,095",
        str(read_only_folder(tmp_path) / "out.csv"): "cannot write in",
        "/dev/null": "not a regular file",
    }
    for path, message in cases.items():
        with pytest.raises(OutputPathError, match=message):
            check_output_path(path, inputs=[source])
    with pytest.raises(OutputPathError, match="--no-clobber"):
        check_output_path(source, clobber=False)
    assert check_output_path(tmp_path / "new" / "deeper" / "out.csv") == tmp_path / "new" / "deeper" / "out.csv"
    assert not (tmp_path / "new").exists()  # nothing is created by the check


def test_check_output_dir_replaces_only_earlier_outputs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "maps"
    out.mkdir()
    (out / "incidents.html").write_text("old build")
    ours = lambda name: name == "incidents.html"
    assert check_output_dir(out, replaceable=ours) == out
    with pytest.raises(OutputPathError, match="--no-clobber"):
        check_output_dir(out, replaceable=ours, clobber=False)
    (out / "thesis.tex").write_text("years of work")
    with pytest.raises(OutputPathError, match=r"not outputs \(thesis.tex\)"):
        check_output_dir(out, replaceable=ours)
    (out / "thesis.tex").unlink()
    (out / "events.csv").write_text("input")
    with pytest.raises(OutputPathError, match="holds the input"):
        check_output_dir(out, replaceable=lambda name: True, inputs=[out / "events.csv"])
    monkeypatch.chdir(out)
    for where in (".", str(tmp_path)):
        with pytest.raises(OutputPathError, match="current folder"):
            check_output_dir(where, replaceable=lambda name: True)


SLOW_WRITER = textwrap.dedent("""
    import sys, time
    from geo.files import atomic_write, raise_on_sigterm, Terminated
    raise_on_sigterm()
    try:
        with atomic_write(sys.argv[1]) as handle:
            handle.write("partial")
            handle.flush()
            time.sleep(60)
    except Terminated:
        sys.exit(143)
""")


def test_sigterm_while_writing_removes_the_temporary_file(tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    target.write_text("the previous output")
    process = subprocess.Popen([sys.executable, "-c", SLOW_WRITER, str(target)],
                               env={**os.environ, "PYTHONPATH": str(REPO)})
    for _ in range(600):  # wait until the temporary file is there
        if _hidden(tmp_path):
            break
        time.sleep(0.05)
    assert _hidden(tmp_path), "the writer never started"
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=30) == 143
    assert _hidden(tmp_path) == []
    assert target.read_text() == "the previous output"
