"""House rules enforced as tests: Qt only in the ui layer and the app wiring; the domain imports nothing of ours."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "actdesk"
QT_ALLOWED = ("ui/", "app.py", "__main__.py")


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def _modules() -> list[tuple[str, set[str]]]:
    return [(p.relative_to(PACKAGE).as_posix(), _imports(p)) for p in sorted(PACKAGE.rglob("*.py"))]


def test_qt_is_imported_only_by_the_ui_layer_and_app_wiring() -> None:
    offenders = [
        rel
        for rel, names in _modules()
        if not rel.startswith(QT_ALLOWED) and any(n.split(".")[0] in ("PySide6", "shiboken6") for n in names)
    ]
    assert offenders == []


def test_domain_imports_no_other_layer_and_no_orm() -> None:
    forbidden = (
        "actdesk.storage",
        "actdesk.services",
        "actdesk.ui",
        "actdesk.cli",
        "actdesk.app",
        "sqlalchemy",
        "PySide6",
    )
    offenders = [
        (rel, sorted(n for n in names if n.startswith(forbidden)))
        for rel, names in _modules()
        if rel.startswith("domain/") and any(n.startswith(forbidden) for n in names)
    ]
    assert offenders == []


def test_services_and_storage_do_not_import_the_ui() -> None:
    offenders = [
        rel
        for rel, names in _modules()
        if rel.startswith(("storage/", "services/", "domain/"))
        and any(n.startswith(("actdesk.ui", "actdesk.app", "actdesk.cli")) for n in names)
    ]
    assert offenders == []


def test_no_pyplot_anywhere() -> None:
    offenders = [rel for rel, names in _modules() if "matplotlib.pyplot" in names]
    assert offenders == []
