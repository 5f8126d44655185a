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
