"""The package's layers and their order (docs/architecture.md), read from its imports.

Each layer imports only from the layers below it, never from one above or beside it, and no
module takes part in an import cycle. Every import counts, also one inside a function or under
``TYPE_CHECKING``: a lazy import hides a dependency, it does not remove it.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "admin_hits"

#: Lowest first. A module may import from a layer of a lower rank, and from its own layer.
#: ``nightly`` and ``live`` share a rank: both write what the models define, neither uses the
#: other. Top-level modules not named here (``apps``, ``checks``, ``management``, the
#: ``pipe`` and ``resolvers`` entry points) are the app's wiring and may import any layer.
LAYERS: dict[str, int] = {
    "exceptions": 0,
    "compat": 0,
    "logs": 1,
    "conf": 2,
    "models": 3,
    "nightly": 4,
    "live": 4,
    "report": 5,
    "notify": 6,
    "admin": 7,
}
WIRING_RANK = 99


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def package_modules() -> dict[str, Path]:
    return {
        module_name(path): path
        for path in sorted(PACKAGE.rglob("*.py"))
        if "migrations" not in path.relative_to(PACKAGE).parts
    }


MODULES = package_modules()


def imports_of(name: str, path: Path) -> list[tuple[int, str]]:
    """``(line, module)`` of each import of a package module in ``path``."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            # ``from package import module`` imports the module; else the package itself.
            targets = [
                f"{base}.{alias.name}" if f"{base}.{alias.name}" in MODULES else base
                for alias in node.names
            ]
        else:
            continue
        found += [(node.lineno, t) for t in targets if t.split(".")[0] == "admin_hits"]
    return found


def layer_of(name: str) -> tuple[str, int]:
    parts = name.split(".")
    if len(parts) == 1:
        return "admin_hits", WIRING_RANK
    return parts[1], LAYERS.get(parts[1], WIRING_RANK)


def violations() -> list[str]:
    found = []
    for name, path in MODULES.items():
        layer, rank = layer_of(name)
        if rank == WIRING_RANK:
            continue
        for line, target in imports_of(name, path):
            other, other_rank = layer_of(target)
            if other == layer or target == "admin_hits":
                continue
            if other_rank >= rank:
                where = "above" if other_rank > rank else "beside"
                found.append(
                    f"{path.relative_to(PACKAGE.parent)}:{line} imports {target}: "
                    f"layer {other!r} is {where} {layer!r}"
                )
    return found


def cycles() -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan's algorithm)."""
    graph = {
        name: sorted({t for _, t in imports_of(name, path) if t in MODULES and t != name})
        for name, path in MODULES.items()
    }
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in graph[node]:
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                components.append(sorted(component))

    for name in graph:
        if name not in index:
            visit(name)
    return components


def test_every_layer_exists():
    for layer in LAYERS:
        assert f"admin_hits.{layer}" in MODULES, layer


def test_imports_only_go_down():
    assert violations() == []


def test_no_import_cycle():
    assert cycles() == []


def test_the_log_core_imports_no_django():
    found = []
    for name, path in MODULES.items():
        if name.startswith("admin_hits.logs"):
            for node in ast.walk(ast.parse(path.read_text())):
                if isinstance(node, ast.Import | ast.ImportFrom):
                    names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
                    names.append(getattr(node, "module", None) or "")
                    if any(n.split(".")[0] == "django" for n in names):
                        found.append(f"{path.name}:{node.lineno}")
    assert found == []


def test_modules_stay_small():
    """The style guide's ~300 lines; a module that grows past it has grown a second job."""
    long = {
        name: n for name, path in MODULES.items() if (n := len(path.read_text().splitlines())) > 320
    }
    assert long == {}


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("from admin_hits.admin.mixins import HitsAdminMixin\n", "layer 'admin' is above 'report'"),
        ("import admin_hits.live.counts\n", "layer 'live' is beside 'nightly'"),
    ],
)
def test_the_guard_names_the_offending_line(tmp_path, monkeypatch, source, expected):
    """The guard itself can fail: an upward and a sideways import, each named by its line."""
    layer = "report" if "admin.mixins" in source else "nightly"
    path = PACKAGE / layer / "zz_guard_probe.py"
    modules = {**MODULES, f"admin_hits.{layer}.zz_guard_probe": path}
    monkeypatch.setattr(Path, "read_text", _reading({path: "x = 1\n" + source}))
    monkeypatch.setitem(globals(), "MODULES", modules)
    assert any(expected in v and "zz_guard_probe.py:2" in v for v in violations())


def _reading(overrides):
    original = Path.read_text

    def read_text(self, *args, **kwargs):
        return overrides[self] if self in overrides else original(self, *args, **kwargs)

    return read_text


def test_the_guard_finds_a_cycle(monkeypatch):
    a = PACKAGE / "nightly" / "zz_a.py"
    b = PACKAGE / "nightly" / "zz_b.py"
    modules = {**MODULES, "admin_hits.nightly.zz_a": a, "admin_hits.nightly.zz_b": b}
    texts = {a: "from admin_hits.nightly import zz_b\n", b: "import admin_hits.nightly.zz_a\n"}
    monkeypatch.setattr(Path, "read_text", _reading(texts))
    monkeypatch.setitem(globals(), "MODULES", modules)
    assert ["admin_hits.nightly.zz_a", "admin_hits.nightly.zz_b"] in cycles()
