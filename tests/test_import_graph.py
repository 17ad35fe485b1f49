"""Imports point one way: no two modules of the portal import each other, directly or in a circle."""
import ast
from pathlib import Path

PORTAL = Path(__file__).resolve().parent.parent / "portal"


def _modules() -> dict[str, Path]:
    found = {}
    for path in PORTAL.rglob("*.py"):
        parts = list(path.relative_to(PORTAL.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


def _imports(name: str, path: Path, modules: dict) -> set[str]:
    """Return the portal modules a module imports, at any depth of its code (function imports too)."""
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            base = package
            for _ in range(max(node.level - 1, 0)):
                base = base.rsplit(".", 1)[0]
            target = (base + (f".{node.module}" if node.module else "")) if node.level else node.module
            for alias in node.names:
                sub = f"{target}.{alias.name}"
                out.add(sub if sub in modules else target)
        elif isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
    # A views module takes its blueprint from its own package, which imports the views: the one
    # wiring Flask packages are built on (STYLE.md, microblog), not a circle between two modules.
    return {m for m in out if m in modules and m not in (name, package if package != name else None)}


def _circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Return the strongly connected groups of more than one module (Tarjan)."""
    index, low, stack, on, groups, counter = {}, {}, [], set(), [], [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for v in graph:
        if v not in index:
            visit(v)
    return groups


def test_no_two_modules_import_each_other_directly_or_in_a_circle():
    modules = _modules()
    graph = {name: _imports(name, path, modules) for name, path in modules.items()}
    assert _circles(graph) == []


def test_other_packages_reach_sitin_and_notices_only_through_their_interface_module():
    # service.py is the interface; models are shared tables; demo and inbox are wired by the factory.
    allowed = {"service", "models", "demo", "inbox"}
    modules = _modules()
    wrong = []
    for name, path in modules.items():
        for target in _imports(name, path, modules):
            for package in ("portal.sitin", "portal.notices"):
                inside = name == package or name.startswith(package + ".")
                if not inside and target.startswith(package + ".") and target.rsplit(".", 1)[1] not in allowed:
                    wrong.append(f"{name} -> {target}")
    assert wrong == []
