"""The README's promise: exactly two set-up commands, and CI runs the second one."""

from __future__ import annotations

import re

SETUP_HEADING = "## Set up"


def _setup_commands(readme: str) -> list[str]:
    section = readme.split(SETUP_HEADING, 1)[1].split("\n## ", 1)[0]
    return [block.strip() for block in re.findall(r"```(?:sh|bash|console)?\n(.*?)```", section, re.DOTALL)]


def test_readme_opens_with_two_commands(repo_root):
    readme = (repo_root / "README.md").read_text(encoding="utf-8")
    before_setup = readme.split(SETUP_HEADING, 1)[0]
    assert "```" not in before_setup, "only prose and the screenshot come before the set-up commands"
    commands = _setup_commands(readme)
    assert len(commands) == 2
    assert all("\n" not in c for c in commands), "each set-up command is one line"
    assert "geo build" in commands[0]
    assert "pytest" in commands[1]


def test_ci_runs_the_readmes_test_command(repo_root):
    readme = (repo_root / "README.md").read_text(encoding="utf-8")
    ci = (repo_root / ".ci" / "run").read_text(encoding="utf-8")
    ci_lines = [line.strip() for line in ci.splitlines()]
    assert _setup_commands(readme)[1] in ci_lines
    assert "GEO_REQUIRE_BROWSER=1" in ci


def test_the_python_example_runs_from_any_folder(repo_root, tmp_path):
    import os
    import subprocess
    import sys

    readme = (repo_root / "README.md").read_text(encoding="utf-8")
    example = readme.split("## Python", 1)[1].split("```python\n", 1)[1].split("```", 1)[0]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(repo_root), os.environ.get("PYTHONPATH", "")])}
    for name in ("acled", "ucdp"):  # the example's own exports, in the folder it runs from
        (tmp_path / f"{name}.csv").write_bytes((repo_root / "tests" / "data" / f"{name}_sample.csv").read_bytes())
    done = subprocess.run([sys.executable, "-c", example], cwd=tmp_path, env=env, capture_output=True, text=True,
                          check=False, timeout=600)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "map.html").stat().st_size > 0 and (tmp_path / "overview.pdf").stat().st_size > 0
