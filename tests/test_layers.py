"""The house's layers, read from the code: no room imports a room above it, the renderers and the
analysis import only the shared vocabulary, and no module imports itself through others.

The layer list is declared here (bottom first) and written as prose in docs/architecture.md. A room
is a top-level module or package of serfair (`serfair.analysis.metrics` is in room `analysis`).
Every import counts, also the ones inside functions.
"""

from __future__ import annotations

import ast
from pathlib import Path

import serfair

PACKAGE = Path(serfair.__file__).parent

LAYERS: tuple[tuple[str, ...], ...] = (
    ("vocab", "errors", "paths", "provenance", "trust", "safepath", "text", "threads"),  # the shared vocabulary
    ("features", "reference"),  # declarative front ends; the reference recipe (own features)
    ("data",),
    ("perturb", "probes"),  # probes plan counterfactual conditions and measure voices
    ("models", "labelsets", "sanity"),
    ("engine", "lifecycle"),  # lifecycle: workers that die with their parent, the run lock
    ("analysis",),  # reads only the predictions table
    ("report",),  # reads only the result document
    ("spec", "policy", "gate"),  # what to audit; the gate reads only the result and the policy
    ("audit", "cli", "terminal", "serfair"),  # on top: the pipeline, the command line, `import serfair`
)
VOCABULARY = frozenset(LAYERS[0])
# Rooms that may import only the vocabulary and the rooms named here (besides themselves).
READS_ONLY: dict[str, frozenset[str]] = {
    "analysis": VOCABULARY,
    "report": VOCABULARY,
    "gate": VOCABULARY | {"report", "policy"},
}


def module_name(path: Path, package: Path = PACKAGE) -> str:
    """`serfair/report/html.py` -> `serfair.report.html`; a package is its `__init__`."""
    parts = list(path.relative_to(package.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules(package: Path = PACKAGE) -> dict[str, Path]:
    """Every module of the package by dotted name."""
    return {module_name(p, package): p for p in sorted(package.rglob("*.py"))}


def imports_of(name: str, path: Path, known: set[str]) -> set[str]:
    """The serfair modules `name` imports (a `from package import module` names the module)."""
    is_package = path.name == "__init__.py"
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = name.split(".") if is_package else name.split(".")[:-1]
                base = base[: len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            for alias in node.names:
                sub = f"{target}.{alias.name}"
                found.add(sub if sub in known else target)
    return {m for m in found if m in known and m != name}


def import_graph(package: Path = PACKAGE) -> dict[str, set[str]]:
    """{module: modules it imports}, serfair modules only."""
    mods = modules(package)
    known = set(mods)
    return {name: imports_of(name, path, known) for name, path in mods.items()}


def room_of(module: str) -> str:
    """`serfair.report.html` -> `report`; the package itself is room `serfair`."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else parts[0]


def layer_of(room: str) -> int:
    for level, rooms in enumerate(LAYERS):
        if room in rooms:
            return level
    raise AssertionError(f"room '{room}' is in no layer: add it to LAYERS in tests/test_layers.py "
                         f"and to docs/architecture.md")


def upward_imports(graph: dict[str, set[str]]) -> list[str]:
    """Every import of a room above the importer, or outside what a read-only room may read."""
    wrong = []
    for module, targets in graph.items():
        room = room_of(module)
        for target in sorted(targets):
            other = room_of(target)
            if other == room:
                continue
            if layer_of(other) > layer_of(room):
                wrong.append(f"{module} imports {target}: room '{other}' is above '{room}'")
            elif room in READS_ONLY and other not in READS_ONLY[room]:
                wrong.append(f"{module} imports {target}: '{room}' may import only "
                             f"{', '.join(sorted(READS_ONLY[room]))}")
    return wrong


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The import circles: strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_every_room_is_in_a_layer():
    rooms = {room_of(m) for m in modules()}
    for room in rooms:
        layer_of(room)
    declared = {r for layer in LAYERS for r in layer}
    assert declared <= rooms, f"LAYERS names rooms that do not exist: {declared - rooms}"


def test_no_room_imports_a_room_above_it():
    assert upward_imports(import_graph()) == []


def test_no_import_circles():
    assert circles(import_graph()) == []


def test_the_check_sees_leaks_and_circles(tmp_path):
    """The checker itself: an analysis module importing perturb, a data module importing models,
    and two report modules importing each other are all caught."""
    root = tmp_path / "serfair"
    files = {
        "__init__.py": "", "errors.py": "", "vocab/__init__.py": "",
        "perturb/__init__.py": "", "models/__init__.py": "", "data/__init__.py": "",
        "analysis/__init__.py": "", "report/__init__.py": "",
        "analysis/robustness.py": "from serfair.perturb import Condition\n",
        "data/manifest.py": "def f():\n    from serfair.models import labels\n",
        "report/a.py": "from . import b\n",
        "report/b.py": "from serfair.report.a import x\nfrom serfair.vocab import y\n",
    }
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    graph = import_graph(root)
    wrong = upward_imports(graph)
    assert any(w.startswith("serfair.analysis.robustness imports serfair.perturb") for w in wrong)
    assert any(w.startswith("serfair.data.manifest imports serfair.models") for w in wrong)
    assert circles(graph) == [["serfair.report.a", "serfair.report.b"]]
