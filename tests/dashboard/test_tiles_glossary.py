"""Every dashboard tile is named so it cannot be misread and explains itself with its definition from
docs/metrics.md."""

from __future__ import annotations

from pathlib import Path

from actdesk.services.dashboard.tiles import ALL

DOCS = Path(__file__).resolve().parents[2] / "docs" / "metrics.md"


def test_every_definition_is_the_one_in_docs_metrics() -> None:
    text = DOCS.read_text(encoding="utf-8")
    for scope, tiles in ALL.items():
        for key, tile in tiles.items():
            assert f"| {tile.name} | {tile.definition} |" in text, (
                f"{scope}.{key} differs from docs/metrics.md"
            )


def test_tile_names_cannot_be_confused() -> None:
    names = [t.name for tiles in ALL.values() for t in tiles.values()]
    assert len(names) == len(set(names))
    book = ALL["book"]
    assert "Current" in book["clients"].name  # not "households": prospects are not counted
    assert "NPV" in book["value"].name and "multiple" in ALL["what_if"]["multiple"].name
    assert "own retention" in ALL["what_if"]["npv_households"].name


def test_book_and_snapshot_tiles_carry_their_definition_as_tooltip(qtbot) -> None:
    from actdesk.ui.dashboard.book_view import BookView
    from actdesk.ui.dashboard.snapshot_panel import SnapshotView

    for view, scope in ((BookView(), "book"), (SnapshotView(), "snapshot")):
        qtbot.addWidget(view)
        assert set(view.tiles) == set(ALL[scope])
        for key, tile in view.tiles.items():
            assert tile.caption.text() == ALL[scope][key].name
            assert tile.toolTip() == ALL[scope][key].definition
        view.tiles[next(iter(view.tiles))].set("1", "note", "detail")
        first = view.tiles[next(iter(view.tiles))]
        assert first.toolTip().startswith(first.definition) and first.toolTip().endswith("detail")


def test_client_dashboard_tiles_carry_their_definition_as_tooltip(qtbot, book) -> None:
    """The client dashboard and the meeting view, in both languages: each tile's caption and tooltip are its
    glossary entry (so docs/metrics.md); the meeting view leaves out the advisor's own measures."""
    from actdesk import i18n
    from actdesk.settings import Settings
    from actdesk.ui.context import AppContext
    from actdesk.ui.dashboard.client_panel import ClientDashboardPanel
    from actdesk.ui.tasks import TaskRunner

    client = ALL["client"]
    ctx = AppContext(book=book, settings=Settings(raw={}), tasks=TaskRunner(inline=True))
    try:
        for lang in ("en", "es"):
            i18n.set_language(lang)
            for meeting, expected in ((False, set(client)), (True, set(client) - {"wallet", "retention"})):
                panel = ClientDashboardPanel(ctx, meeting=meeting)
                qtbot.addWidget(panel)
                assert set(panel.tiles) == expected
                for key, tile in panel.tiles.items():
                    assert tile.caption.text() == i18n._(client[key].name)
                    assert tile.toolTip() == i18n._(client[key].definition) != ""
                    if lang == "es":
                        assert tile.toolTip() != client[key].definition  # translated
                panel.tiles["managed"].set("1", "", "1.00")
                assert panel.tiles["managed"].toolTip().startswith(panel.tiles["managed"].definition)
    finally:
        i18n.set_language("en")
        ctx.tasks.shutdown()
