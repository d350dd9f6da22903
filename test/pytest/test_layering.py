"""The house rules for imports (issue 14): dialect <- passes <- tools and
dialect <- model <- tools (the bench sits on the tools), no module imports one
of a layer above it, no lazy import hides such an edge, and no two modules
import each other, directly or through others."""

import ast
from pathlib import Path

from conftest import PROJECT

# Package -> folder, and the packages each may import.
FOLDERS = {
    "isamapper_dialect": "isamapper_dialect",
    "isamapper_passes": "passes",
    "isamapper_hardware": "hardware",
    "isamapper_tools": "tools",
    "isamapper_bench": "bench",
}
ALLOWED = {
    "isamapper_dialect": {"isamapper_dialect"},
    "isamapper_passes": {"isamapper_dialect", "isamapper_passes"},
    "isamapper_hardware": {"isamapper_dialect", "isamapper_hardware"},
    "isamapper_tools": set(FOLDERS) - {"isamapper_bench"},
    "isamapper_bench": set(FOLDERS),
}


def modules() -> dict[str, Path]:
    found = {}
    for package, folder in FOLDERS.items():
        for path in sorted((PROJECT / folder).rglob("*.py")):
            parts = path.relative_to(PROJECT / folder).with_suffix("").parts
            if parts[-1] == "__init__":
                parts = parts[:-1]
            found[".".join((package, *parts))] = path
    return found


def imports(path: Path) -> list[str]:
    """Every isamapper module `path` imports, at any depth (lazy ones too)."""
    names = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
            names += [f"{node.module}.{alias.name}" for alias in node.names]
        elif isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
    return [n for n in names if n.split(".")[0] in FOLDERS]


def graph() -> dict[str, set[str]]:
    known = modules()
    return {
        name: {target for target in imports(path) if target in known and target != name}
        for name, path in known.items()
    }


def test_no_module_imports_a_layer_above_it() -> None:
    wrong = [
        f"{name} imports {target}"
        for name, targets in graph().items()
        for target in sorted(targets)
        if target.split(".")[0] not in ALLOWED[name.split(".")[0]]
    ]
    assert wrong == []


def test_no_import_cycles() -> None:
    edges = graph()
    # The xdsl.universe entry point lists the passes lazily by design (registration
    # must stay cheap); it is the only module allowed to name what it registers late.
    state: dict[str, int] = {}
    cycles: list[list[str]] = []

    def visit(node: str, stack: list[str]) -> None:
        state[node] = 1
        for target in sorted(edges[node]):
            if state.get(target) == 1:
                cycles.append([*stack[stack.index(target) :], target])
            elif target not in state:
                visit(target, [*stack, target])
        state[node] = 2

    for name in sorted(edges):
        if name not in state:
            visit(name, [name])
    assert cycles == []


def test_every_source_file_is_under_about_400_lines() -> None:
    # The house's rule: one concept per file, none much over 400 lines.
    long = {name for name, path in modules().items() if len(path.read_text().splitlines()) > 420}
    assert not long, sorted(long)
