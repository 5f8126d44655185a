"""The import graph of ``geo``: layers import only downward, and nothing imports in a cycle.

Every ``import`` and ``from ... import`` in the package is read with :mod:`ast`, at any
depth (imports inside functions count: a cycle deferred into a function is still a cycle).
The layers are those of ``docs/architecture.md``.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "geo"

#: Layer of each module or subpackage, lowest first. plot and webmap share a rank but
#: must not import each other.
LAYERS = {
    "geo": 0,
    "geo.errors": 0,
    "geo.settings": 0,
    "geo.datasets": 0,
    "geo.files": 0,
    "geo.legend": 0,
    "geo.ellipsoid": 0,
    "geo.progress": 0,
    "geo.cache": 0,
    "geo.synthetic": 6,
    "geo.reference": 1,
    "geo.geodesy": 2,
    "geo.io": 3,
    "geo.analysis": 4,
    "geo.plot": 5,
    "geo.webmap": 5,
    "geo.build": 6,
    "geo.scale": 6,
    "geo.cli": 7,
    "geo.__main__": 8,
}


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def layer_of(name: str) -> tuple[str, int]:
    """The most specific entry of LAYERS that ``name`` falls under."""
    # the root "geo" holds only itself: a new top-level module must be given its layer
    best = max((key for key in LAYERS if name == key or (key != "geo" and name.startswith(key + "."))),
               key=len, default=None)
    if best is None:
        raise AssertionError(f"{name} is in no layer; add it to LAYERS and docs/architecture.md")
    return best, LAYERS[best]


def resolve(target: str) -> str | None:
    """The geo module an import names (a submodule when it is one), or None if not geo's."""
    if target != "geo" and not target.startswith("geo."):
        return None
    while target not in MODULES:
        target = target.rsplit(".", 1)[0]
    return target


def imports_of(name: str) -> set[str]:
    """geo modules that ``name`` imports explicitly, anywhere in its source."""
    path = MODULES[name]
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{anchor}.{base}" if base else anchor
            # "from geo.x import y" names the submodule geo.x.y when there is one
            targets = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in MODULES else base for alias in node.names]
        for target in targets:
            module = resolve(target)
            if module is not None and module != name:
                found.add(module)
    return found


GRAPH = {name: imports_of(name) for name in MODULES}


def test_every_module_has_a_layer() -> None:
    for name in MODULES:
        layer_of(name)


@pytest.mark.parametrize("name", sorted(MODULES))
def test_imports_go_down_only(name: str) -> None:
    home, rank = layer_of(name)
    for target in GRAPH[name]:
        other, other_rank = layer_of(target)
        if other == home or name == "geo" or rank == other_rank == 0:
            continue  # within one layer; the base modules form one layer
        assert other_rank < rank or (other_rank == rank and other == home), (
            f"{name} (layer {home}) imports {target} (layer {other}): layers import only downward"
        )


def test_no_import_cycles() -> None:
    state: dict[str, int] = {}  # 1 visiting, 2 done
    stack: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(GRAPH[node]):
            if state.get(nxt) == 1:
                cycle = stack[stack.index(nxt):] + [nxt]
                raise AssertionError("import cycle: " + " -> ".join(cycle))
            if nxt not in state:
                visit(nxt)
        stack.pop()
        state[node] = 2

    for name in sorted(GRAPH):
        if name not in state:
            visit(name)


def test_no_private_names_imported_across_modules() -> None:
    offenders = []
    for name, path in MODULES.items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("geo"):
                offenders += [f"{name}: {node.module}.{a.name}" for a in node.names
                              if a.name.startswith("_") and a.name != "__version__"]
    assert offenders == []


def test_the_core_never_imports_dask() -> None:
    source = MODULES["geo.analysis.core"].read_text(encoding="utf-8")
    assert "dask" not in {alias.name.split(".")[0] for node in ast.walk(ast.parse(source))
                          if isinstance(node, ast.Import | ast.ImportFrom)
                          for alias in (node.names if isinstance(node, ast.Import) else [ast.alias(node.module or "")])}


def test_the_checker_sees_a_planted_upward_import() -> None:
    """The test above can fail: an import of a higher layer is caught."""
    assert layer_of("geo.webmap.render")[1] > layer_of("geo.geodesy.distance")[1]
    assert "geo.reference.boundaries" in GRAPH["geo.geodesy.corridor"]  # a function-level import is seen


def test_the_lazy_root_exports_what_it_lists() -> None:
    import geo

    assert sorted(geo.__all__) == sorted(["__version__", *geo._LAZY])
    for name in geo.__all__:
        assert getattr(geo, name) is not None


#: Longest function body allowed: lines from the first statement after the docstring to the last.
MAX_FUNCTION_LINES = 60

#: Where the limit holds, relative to geo/: everywhere.
FUNCTION_LIMIT_SCOPE = ("",)


def function_lengths(source: str) -> list[tuple[str, int, int]]:
    """(name, line of the def, body lines without the docstring) of every function, nested ones too."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) \
                    and isinstance(body[0].value.value, str):
                body = body[1:]
            lines = (body[-1].end_lineno or body[-1].lineno) - body[0].lineno + 1 if body else 0
            found.append((node.name, node.lineno, lines))
    return found


def test_functions_are_short() -> None:
    paths = [p for p in sorted(PACKAGE.rglob("*.py"))
             if p.relative_to(PACKAGE).as_posix().startswith(FUNCTION_LIMIT_SCOPE)]
    assert any(p.name == "synthetic.py" for p in paths) and any(p.parent.name == "plot" for p in paths)
    long = [f"{path.relative_to(PACKAGE.parent)}:{line} {name}: {lines} lines"
            for path in paths for name, line, lines in function_lengths(path.read_text(encoding="utf-8"))
            if lines > MAX_FUNCTION_LINES]
    assert long == [], f"split these into named helpers (at most {MAX_FUNCTION_LINES} lines each)"


def test_the_length_check_counts_the_body_without_the_docstring() -> None:
    """The test above can fail: a long body is measured, a long docstring is not."""
    body = "".join(f"    x{i} = {i}\n" for i in range(61))
    doc = '    """Doc.\n\n' + "    More.\n" * 40 + '    """\n'
    nested = "def outer():\n    def inner():\n        return 1\n    return inner\n"
    assert function_lengths(f"def f():\n{doc}{body}") == [("f", 1, 61)]
    assert function_lengths(f"def g():\n{doc}    return 1\n") == [("g", 1, 1)]
    assert sorted(function_lengths(nested)) == [("inner", 2, 1), ("outer", 1, 3)]
