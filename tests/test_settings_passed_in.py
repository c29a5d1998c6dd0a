"""Settings are passed into services, each section keyed by its class (issue 24, item 5).

Only the entry points (app.py, the CLI, the window) read the settings file; a service that called
``load_settings()`` itself ignored the settings the window holds and read the disk on every call.
"""

from __future__ import annotations

import ast
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar

import pytest

from actdesk.cli import main
from actdesk.domain.alerts.settings import AlertSettings
from actdesk.domain.analytics.config import AnalyticsConfig
from actdesk.domain.pipeline.config import PipelineConfig
from actdesk.domain.schedule.config import ScheduleSettings
from actdesk.services import backup_hooks
from actdesk.services.backup.store import BackupSettings
from actdesk.services.cell_guard import ExportSettings
from actdesk.services.dashboard.coaching import CoachingSettings
from actdesk.services.importers.mappings import ImportSettings
from actdesk.services.mail.config import MailSettings
from actdesk.services.privacy import PrivacySettings
from actdesk.services.reports.config import ReportSettings
from actdesk.settings import GeneralSettings, Settings, load_settings, save_settings, section_name

SRC = Path(__file__).resolve().parents[1] / "src" / "actdesk"

# A settings file as actdesk has written it since the first release: one JSON object, a key per section.
EXISTING_FILE = {
    "general": {"language": "es", "practice_name": "Harbor Wealth", "first_run_done": True},
    "backup": {"folder": "/srv/backups", "interval_hours": 8, "keep_forever": "a newer version's key"},
    "alerts": {"interval_minutes": 30},
    "analytics": {"segment_a_share": 0.25},
    "pipeline": {"neighbours": 3},
    "schedule": {"reminder_minutes_before": 5},
    "export": {"csv_formula_guard": False},
    "reports": {"paper": "a4"},
    "coaching": {"calls_per_week": 4},
    "mail": {"host": "smtp.example.com", "port": 465},
    "imports": {"last_folder": "/home/pat"},
    "privacy": {"lock_after_minutes": 3},
    "a_future_feature": {"anything": [1, 2]},
}


def reads_settings_file(source: str) -> list[str]:
    """Where a module imports or calls ``load_settings`` (line numbers)."""
    found: list[int] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and any(a.name == "load_settings" for a in node.names):
            found.append(node.lineno)
        elif isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
            if name == "load_settings":
                found.append(node.lineno)
    return [str(n) for n in sorted(set(found))]


def test_no_service_or_domain_module_reads_the_settings_file() -> None:
    offenders = {
        path.relative_to(SRC).as_posix(): lines
        for layer in ("services", "domain")
        for path in sorted((SRC / layer).rglob("*.py"))
        if (lines := reads_settings_file(path.read_text(encoding="utf-8")))
    }
    assert offenders == {}


def test_the_check_sees_a_planted_read() -> None:
    assert reads_settings_file("def f():\n    from actdesk.settings import load_settings\n") == ["2"]
    assert reads_settings_file("import actdesk.settings as s\nx = s.load_settings()\n") == ["2"]
    assert reads_settings_file("def load(settings):\n    return settings.section(X)\n") == []


def test_an_existing_settings_file_still_loads(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_text(json.dumps(EXISTING_FILE), encoding="utf-8")
    settings = load_settings(path)
    assert settings.general.language == "es" and settings.general.practice_name == "Harbor Wealth"
    assert settings.section(BackupSettings).folder == "/srv/backups"
    assert settings.section(BackupSettings).interval_hours == 8
    assert settings.section(AlertSettings).interval_minutes == 30
    assert settings.section(AnalyticsConfig).segment_a_share == 0.25
    assert settings.section(PipelineConfig).neighbours == 3
    assert settings.section(ScheduleSettings).reminder_minutes_before == 5
    assert settings.section(ExportSettings).csv_formula_guard is False
    assert settings.section(ReportSettings).paper == "a4"
    assert settings.section(CoachingSettings).calls_per_week == 4
    assert settings.section(MailSettings).port == 465
    assert settings.section(ImportSettings).last_folder == "/home/pat"
    assert settings.section(PrivacySettings).lock_after_minutes == 3


def test_writing_a_section_keeps_the_file_format_and_unknown_keys(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_text(json.dumps(EXISTING_FILE), encoding="utf-8")
    settings = load_settings(path)
    settings.set_section(BackupSettings(folder="/mnt/usb", interval_hours=2))
    settings.set_section(GeneralSettings(language="en"))
    save_settings(settings)
    saved = json.loads(path.read_text(encoding="utf-8"))
    assert saved["backup"]["folder"] == "/mnt/usb" and saved["backup"]["interval_hours"] == 2
    assert saved["backup"]["keep_forever"] == "a newer version's key"  # a newer version's key survives
    assert saved["a_future_feature"] == {"anything": [1, 2]}
    assert saved["alerts"] == {"interval_minutes": 30}  # sections nobody wrote are left as they were
    assert "SECTION" not in saved["backup"]  # the class attribute is not a setting
    assert settings.general.language == "en"
    assert load_settings(path).section(BackupSettings).folder == "/mnt/usb"


def test_the_class_is_the_key() -> None:
    assert section_name(BackupSettings) == "backup"
    assert section_name(AnalyticsConfig) == "analytics"
    assert section_name(MailSettings) == "mail"
    assert section_name(CoachingSettings) == "coaching"  # from SECTION beside the class in its module

    @dataclass
    class Unnamed:
        value: int = 1

    @dataclass
    class Named:
        SECTION: ClassVar[str] = "named"
        values: list[int] = field(default_factory=list)

    with pytest.raises(TypeError, match="declares no SECTION"):
        Settings().section(Unnamed)
    settings = Settings()
    settings.set_section(Named([1, 2]))
    assert settings.raw == {"named": {"values": [1, 2]}}
    assert settings.section(Named) == Named([1, 2])


def test_the_cli_passes_the_backup_folder_of_the_settings(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``backup create`` writes where the user's settings say, though no backup function reads the file."""
    db = tmp_path / "book.db"
    assert main(["--db", str(db), "demo", "--households", "3", "--json"]) == 0
    folder = tmp_path / "elsewhere"
    settings = load_settings()
    settings.set_section(BackupSettings(folder=str(folder)))
    save_settings(settings)
    capsys.readouterr()
    assert main(["--db", str(db), "backup", "create", "--json"]) == 0
    written = Path(json.loads(capsys.readouterr().out)["path"])
    assert written.parent.parent == folder
    assert main(["--db", str(db), "backup", "list", "--json"]) == 0
    assert len(json.loads(capsys.readouterr().out)) == 1
    assert backup_hooks.current() is None  # handed back when the command ended


def test_the_backup_before_a_schema_upgrade_goes_where_the_entry_point_said(tmp_path: Path) -> None:
    from alembic import command

    from actdesk.services.backup import book_folder, list_backups
    from actdesk.storage import migrate
    from actdesk.storage.open import open_book

    db = tmp_path / "old.db"
    book = open_book(db, migrate=False)
    with book.engine.begin() as conn:
        config = migrate.alembic_config()
        config.attributes["connection"] = conn
        command.upgrade(config, "0001_book")
    book.dispose()
    settings = Settings()
    settings.set_section(BackupSettings(folder=str(tmp_path / "chosen")))
    backup_hooks.use_settings(settings)
    try:
        open_book(db).dispose()
    finally:
        backup_hooks.use_settings(None)
    assert [b.reason for b in list_backups(book_folder(db, settings))] == ["pre-migration"]
    assert list_backups(book_folder(db)) == []  # not in the default folder


def test_the_default_practice_name_is_shown_in_the_current_language() -> None:
    """Until the advisor names the practice, the window title, signatures and reports use the default name
    in the window's language (a Spanish e-mail no longer signs "My Advisory Practice")."""
    from actdesk import i18n
    from actdesk.settings import GeneralSettings

    general = GeneralSettings()
    assert general.practice() == "My Advisory Practice"
    i18n.set_language("es")
    try:
        assert general.practice() == "Mi despacho de asesoría"
        general.practice_name = "Ruiz Asesores"
        assert general.practice() == "Ruiz Asesores"  # a name the advisor gave is never translated
    finally:
        i18n.set_language("en")
