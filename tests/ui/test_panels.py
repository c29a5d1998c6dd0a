"""Every panel of the rail imports and honours the Panel contract: a typo in ui/panels.PANELS used to hide a
panel silently (``available()`` is False for a module that does not exist)."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QWidget

from actdesk.ui.panels import PANELS, Panel, PanelSpec


@pytest.mark.parametrize("spec", PANELS, ids=[s.key for s in PANELS])
def test_every_panel_imports_and_is_a_panel(spec: PanelSpec) -> None:
    assert spec.available(), f"{spec.target}: no such module"
    cls = spec.load()  # AttributeError for a misspelt class name
    assert issubclass(cls, QWidget)
    assert issubclass(cls, Panel)  # activate() is there


def test_keys_and_shortcuts_are_unique_and_icons_exist() -> None:
    from actdesk.paths import resource

    assert len({s.key for s in PANELS}) == len(PANELS)
    assert len({s.shortcut for s in PANELS}) == len(PANELS)
    for spec in PANELS:
        assert resource("icons", f"{spec.icon}.svg").is_file(), spec.icon


def test_a_misspelt_panel_is_caught() -> None:
    typo = PanelSpec("x", "X", "book", "actdesk.ui.households.panell:HouseholdsPanel", "Ctrl+9")
    assert not typo.available()
    wrong_class = PanelSpec("x", "X", "book", "actdesk.ui.households.panel:HouseholdPanel", "Ctrl+9")
    with pytest.raises(AttributeError):
        wrong_class.load()
