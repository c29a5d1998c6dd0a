"""House rules enforced as tests: the layer table of docs/architecture.md, checked as an allow-list.

The checker (tests/layer_rules.py) resolves every import, relative or lazy, by its full dotted name. It is
proven here on throwaway packages that plant each kind of violation, so a checker that lets one through fails.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.layer_rules import ARCHITECTURE, Violation, read_table, resolved_imports, violations

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "actdesk"
TABLE = read_table(ARCHITECTURE.read_text(encoding="utf-8"))


def _plant(root: Path, files: dict[str, str]) -> Path:
    """A throwaway `actdesk` package with the layer folders and the given modules."""
    package = root / "actdesk"
    for folder in ("domain", "storage", "services", "ui", "cli"):
        (package / folder).mkdir(parents=True, exist_ok=True)
        (package / folder / "__init__.py").write_text("", encoding="utf-8")
    (package / "__init__.py").write_text('__version__ = "0"\n', encoding="utf-8")
    for name in ("i18n.py", "settings.py"):
        (package / name).write_text("", encoding="utf-8")
    for rel, source in files.items():
        path = package / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(source, encoding="utf-8")
    return package


def test_the_code_follows_the_layer_table() -> None:
    assert [str(v) for v in violations(PACKAGE, TABLE)] == []


def test_the_table_is_read_from_the_architecture_document() -> None:
    assert TABLE.allowed["domain"] == {"root", "domain", "i18n", "formats"}
    assert TABLE.domain_libraries == {"pandas", "numpy", "lifelines", "dateutil", "threadpoolctl"}
    assert "services" not in TABLE.allowed["storage"]
    assert "ui" not in TABLE.allowed["cli"] and "ui" not in TABLE.allowed["services"]
    assert TABLE.qt_layers == {"ui", "app", "__main__"}
    assert "settings" in TABLE.foundation and "settings" not in TABLE.allowed["domain"]


PLANTED = {
    "storage imports services": (
        {"storage/repo.py": "def load():\n    from actdesk.services.team import helper\n"},
        "storage may not import services",
    ),
    "cli imports ui": (
        {"cli/cmd_x.py": "from actdesk.ui.main_window import MainWindow\n"},
        "cli may not import ui",
    ),
    "relative domain import of storage": (
        {"domain/alerts/rules.py": "from ...storage.tables import book\n"},
        "domain may not import storage",
    ),
    "services import Qt through matplotlib": (
        {"services/reports/draw.py": "from matplotlib.backends import backend_qtagg\n"},
        "Qt outside ui: services",
    ),
    "domain imports settings": (
        {"domain/policy.py": "def f():\n    from actdesk import settings\n"},
        "domain may not import settings",
    ),
    "domain imports a library off its list": (
        {"domain/fmt.py": "def f():\n    import babel.numbers\n"},
        "domain may not import third-party babel",
    ),
    "lazy import by name": (
        {"services/lazy.py": 'import importlib\nW = importlib.import_module("actdesk.ui.widgets")\n'},
        "services may not import ui",
    ),
    "type-checking import of Qt in storage": (
        {
            "storage/x.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from PySide6.QtCore import QObject\n"
        },
        "Qt outside ui: storage",
    ),
    "pyplot anywhere": (
        {"ui/chart.py": "import matplotlib.pyplot as plt\n"},
        "pyplot is not used",
    ),
}


@pytest.mark.parametrize("case", list(PLANTED))
def test_a_planted_violation_is_caught(tmp_path: Path, case: str) -> None:
    files, rule = PLANTED[case]
    found = violations(_plant(tmp_path, files), TABLE)
    assert [v.rule for v in found] == [rule], found


def test_allowed_imports_pass(tmp_path: Path) -> None:
    package = _plant(
        tmp_path,
        {
            "domain/ok.py": "import pandas as pd\nfrom dateutil.rrule import rrule\nfrom ..i18n import _\n",
            "storage/ok.py": "import sqlalchemy\nfrom actdesk.domain.ok import pd\nfrom actdesk import settings\n",
            "services/ok.py": "from matplotlib.figure import Figure\nfrom actdesk.storage import ok\n",
            "ui/ok.py": "from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg\nfrom PySide6 import QtCore\n",
            "cli/cmd_gui.py": "def run():\n    from actdesk.ui.ok import QtCore\n",
            "cli/cmd_ok.py": "from . import cmd_gui\nfrom actdesk.services.ok import Figure\n",
        },
    )
    assert violations(package, TABLE) == []


def test_relative_imports_resolve_to_full_names() -> None:
    found = resolved_imports(
        "from . import a\nfrom ..storage.tables import book\nfrom .. import i18n\n",
        "actdesk.domain.alerts",
        is_package=True,
    )
    assert {name for _, name in found} >= {
        "actdesk.domain.alerts.a",
        "actdesk.domain.storage.tables.book",
        "actdesk.domain.i18n",
    }
    found = resolved_imports("from ..storage import tables\n", "actdesk.domain.rules", is_package=False)
    assert "actdesk.storage.tables" in {name for _, name in found}


def test_a_violation_reads_as_a_location() -> None:
    v = Violation(
        "actdesk.domain.pipeline.fit", 70, "babel.numbers", "domain may not import third-party babel"
    )
    assert (
        str(v)
        == "actdesk.domain.pipeline.fit:70 imports babel.numbers (domain may not import third-party babel)"
    )
