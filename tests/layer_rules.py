"""The layer table of docs/architecture.md as data, and a checker that resolves every import of a package.

Every import counts: top-level and inside functions (lazy), relative (``from ..storage import x``),
``TYPE_CHECKING`` blocks, and ``importlib.import_module("literal")``. Names are compared in full, so
``matplotlib.backends.backend_qtagg`` is Qt even though ``matplotlib`` alone is not. Each layer lists what
it MAY import (an allow-list); anything else is a violation.
"""

from __future__ import annotations

import ast
import re
import sys
from dataclasses import dataclass
from pathlib import Path

STDLIB = frozenset(sys.stdlib_module_names) | {"__future__"}
ARCHITECTURE = Path(__file__).resolve().parents[1] / "docs" / "architecture.md"
LAYERS = ("domain", "storage", "services", "ui", "cli")

# The one documented exception: the command line opens the window only through `cli/cmd_gui.py`.
EXCEPTIONS: dict[str, frozenset[str]] = {"cli.cmd_gui": frozenset({"ui", "app"})}


@dataclass(frozen=True)
class Table:
    """The layer table of docs/architecture.md: what each layer may import."""

    allowed: dict[str, frozenset[str]]  # layer -> our layers it may import ("root" is actdesk/__init__)
    domain_libraries: frozenset[str]  # the domain's third-party allow-list
    qt_layers: frozenset[str]  # the layers that may import Qt
    foundation: tuple[str, ...]  # our modules that are no layer (i18n, settings...)


def _cells(line: str) -> list[str]:
    return [c.strip() for c in line.strip().strip("|").split("|")]


def read_table(text: str) -> Table:
    """Parse the table whose header starts ``| layer | folder | may import |``.

    The "may import" cell names, in backticks, our layers (and `foundation`) and, for the domain, its
    libraries; `PySide6` marks a layer that may import Qt. The wiring (app.py, __main__.py) may import all.
    """
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if _cells(line)[:3] == ["layer", "folder", "may import"])
    body: dict[str, list[str]] = {}
    for line in lines[start + 2 :]:
        if not line.startswith("|"):
            break
        body[_cells(line)[0]] = _cells(line)
    foundation = tuple(re.findall(r"`(\w+)\.py`", body["foundation"][1]))
    allowed: dict[str, frozenset[str]] = {}
    libraries: frozenset[str] = frozenset()
    qt: set[str] = {"app", "__main__"}
    for layer in (*LAYERS, "foundation"):
        names = set(re.findall(r"`([\w.]+)`", body[layer][2]))
        ours = {n for n in names if n in (*LAYERS, *foundation)}
        if "foundation" in names:
            ours |= set(foundation)
        if "PySide6" in names:
            qt.add(layer)
        if layer == "domain":
            libraries = frozenset(names - ours - {"foundation", "PySide6"})
        if layer == "foundation":
            for module in foundation:
                allowed[module] = frozenset({"root", *ours})
        else:
            allowed[layer] = frozenset({"root", *ours})
    everything = frozenset({"root", *LAYERS, *foundation, "app", "__main__"})
    allowed["app"] = allowed["__main__"] = everything
    allowed["root"] = frozenset({"root"})
    return Table(allowed, libraries, frozenset(qt), foundation)


# Qt, directly or through a library's Qt bindings: only ui/ and the wiring may import these.
QT = (
    "PySide6",
    "shiboken6",
    "PyQt5",
    "PyQt6",
    "qtpy",
    "qtawesome",
    "pytestqt",
    "matplotlib.backends.qt_compat",
    "matplotlib.backends.backend_qt",
    "matplotlib.backends.backend_qtagg",
    "matplotlib.backends.backend_qtcairo",
    "matplotlib.backends.backend_qt5",
    "matplotlib.backends.backend_qt5agg",
    "matplotlib.backends.backend_qt5cairo",
)
# pyplot keeps global state; nothing of ours uses it.
NOWHERE = ("matplotlib.pyplot", "pylab")


@dataclass(frozen=True)
class Violation:
    module: str  # the importing module, dotted
    line: int
    imported: str  # the resolved dotted name
    rule: str

    def __str__(self) -> str:
        return f"{self.module}:{self.line} imports {self.imported} ({self.rule})"


def within(name: str, prefixes: tuple[str, ...] | frozenset[str]) -> bool:
    """Whether ``name`` is one of ``prefixes`` or inside one of them (on a dot boundary)."""
    return any(name == p or name.startswith(p + ".") for p in prefixes)


def module_name(root: Path, path: Path) -> tuple[str, bool]:
    """The dotted name of ``path`` under the package folder ``root``, and whether it is a package."""
    parts = [root.name, *path.relative_to(root).with_suffix("").parts]
    is_package = parts[-1] == "__init__"
    if is_package:
        parts = parts[:-1]
    return ".".join(parts), is_package


def resolved_imports(source: str, module: str, is_package: bool) -> list[tuple[int, str]]:
    """Every import of a module as (line, full dotted name), relative ones made absolute."""
    package = module.split(".") if is_package else module.split(".")[:-1]
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base_parts = package[: len(package) - (node.level - 1)]
                base = ".".join([*base_parts, *([node.module] if node.module else [])])
            else:
                base = node.module or ""
            # `from a.b import c` may import the module a.b.c: record both names
            found.append((node.lineno, base))
            found.extend((node.lineno, f"{base}.{alias.name}") for alias in node.names if alias.name != "*")
        elif (
            isinstance(node, ast.Call)
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
            and (
                (isinstance(node.func, ast.Attribute) and node.func.attr == "import_module")
                or (isinstance(node.func, ast.Name) and node.func.id in ("import_module", "__import__"))
            )
        ):
            found.append((node.lineno, node.args[0].value))
    return found


def layer_of(name: str, top: str, table: Table) -> str | None:
    """The layer of one of our dotted names (``None`` for a third-party or standard module)."""
    parts = name.split(".")
    if parts[0] != top:
        return None
    if len(parts) == 1:
        return "root"
    second = parts[1]
    if second in table.allowed:
        return second
    return "root"  # an attribute of actdesk/__init__.py, e.g. `from actdesk import __version__`


def check_module(module: str, imports: list[tuple[int, str]], top: str, table: Table) -> list[Violation]:
    """The violations of one module's imports against the layer table."""
    own = layer_of(module, top, table)
    assert own is not None
    relative = module.split(".", 1)[1] if "." in module else ""
    allowed = table.allowed[own] | EXCEPTIONS.get(relative, frozenset())
    out: list[Violation] = []
    for line, name in imports:
        target = layer_of(name, top, table)
        if target is not None:
            if target not in allowed:
                out.append(Violation(module, line, name, f"{own} may not import {target}"))
            continue
        if within(name, NOWHERE):
            out.append(Violation(module, line, name, "pyplot is not used"))
        elif within(name, QT) and own not in table.qt_layers:
            out.append(Violation(module, line, name, f"Qt outside ui: {own}"))
        elif own == "domain":
            top_level = name.split(".")[0]
            if top_level not in STDLIB and top_level not in table.domain_libraries:
                out.append(Violation(module, line, name, f"domain may not import third-party {top_level}"))
    # `from a import b` is recorded as a and a.b: one row per line and rule
    unique: dict[tuple[int, str], Violation] = {}
    for v in out:
        unique.setdefault((v.line, v.rule), v)
    return list(unique.values())


def violations(root: Path, table: Table | None = None) -> list[Violation]:
    """Every violation of the layer table in the package folder ``root`` (e.g. src/actdesk)."""
    table = table or read_table(ARCHITECTURE.read_text(encoding="utf-8"))
    out: list[Violation] = []
    for path in sorted(root.rglob("*.py")):
        module, is_package = module_name(root, path)
        imports = resolved_imports(path.read_text(encoding="utf-8"), module, is_package)
        out.extend(check_module(module, imports, root.name, table))
    return out
