"""A command maps only the tables it uses (issue 21), and the audit trail still sees every row a delete takes.

``storage/tables/__init__.py`` no longer imports every table module: each module imports the modules whose
tables its foreign keys name, and whatever needs the whole schema asks for it. Each claim is checked in a
fresh process, where nothing else has registered the other tables; the cascade check is proven on a planted
fault (an empty ``CASCADE_PARENTS``), so a green run means the rows really were recorded.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from tests import factories as f

from actdesk.storage.tables import CASCADE_PARENTS, metadata
from actdesk.storage.tables.engagement import ReferralRequestRow

MODULES = (
    "alerts",
    "audit",
    "book",
    "client_periods",
    "engagement",
    "imports",
    "mail",
    "mail_inbox",
    "pipeline",
    "schedule",
    "series_cache",
    "team",
)


def fresh(script: str, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", script, *args], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def test_the_cascade_parents_are_the_tables_cascading_keys_name() -> None:
    named = {
        fk.column.table.name
        for table in metadata.tables.values()
        for fk in table.foreign_keys
        if (fk.ondelete or "").upper() == "CASCADE"
    }
    assert named == CASCADE_PARENTS


def test_the_package_registers_every_table_module() -> None:
    source = Path(sys.modules["actdesk.storage.tables"].__file__ or "").parent
    assert {p.stem for p in source.glob("*.py")} - {"__init__", "base"} == set(MODULES)
    assert {t.name for t in metadata.tables.values()} >= {
        "alerts",
        "referral_requests",
        "users",
        "mail_inbox",
    }


ALONE = """
import json, sys
import importlib
module = importlib.import_module("actdesk.storage.tables." + sys.argv[1])
from sqlalchemy.orm import configure_mappers
from actdesk.storage.tables.base import Base
configure_mappers()
for table in Base.metadata.tables.values():
    for fk in table.foreign_keys:
        fk.column  # raises NoReferencedTableError when the table it names was not registered
print(json.dumps(sorted(Base.metadata.tables)))
"""


@pytest.mark.parametrize("module", MODULES)
def test_each_table_module_alone_maps_and_resolves_its_foreign_keys(module: str) -> None:
    tables = set(json.loads(fresh(ALONE, module)))
    assert tables
    if module == "alerts":  # only what it names: the book's tables, not the mail or engagement ones
        assert "households" in tables and "referral_requests" not in tables and "mail_messages" not in tables


DELETE = """
import sys
from actdesk.storage.open import open_book
from actdesk.storage.tables.book import HouseholdRow
import actdesk.storage.audit_snapshot as snapshots

if sys.argv[3] == "plant":
    snapshots.CASCADE_PARENTS = frozenset()  # the fault: the audit trail never registers the other tables
assert "actdesk.storage.tables.engagement" not in sys.modules
book = open_book(sys.argv[1])
try:
    with book.session() as s:
        s.delete(s.get(HouseholdRow, int(sys.argv[2])))
finally:
    book.dispose()
print("engagement mapped after the delete:", "actdesk.storage.tables.engagement" in sys.modules)
"""


@pytest.mark.parametrize("plant", [False, True])
def test_a_delete_records_the_rows_it_cascades_to_in_tables_nobody_imported(book, plant: bool) -> None:
    with book.session() as s:
        hid = f.household(s, "Okonkwo household")
        s.add(ReferralRequestRow(household_id=hid, score=0.8, reasons="likes us"))
        s.flush()
    path = book.path
    book.dispose()
    out = fresh(DELETE, str(path), str(hid), "plant" if plant else "real")
    with sqlite3.connect(path) as raw:
        left = raw.execute("SELECT count(*) FROM referral_requests").fetchone()[0]
        entries = raw.execute(
            "SELECT count(*) FROM audit_log WHERE action LIKE 'delete%' AND table_name = 'referral_requests'"
        ).fetchone()[0]
    assert left == 0  # the database deleted it with its household
    if plant:
        assert entries == 0 and "mapped after the delete: False" in out
    else:
        assert entries == 1 and "mapped after the delete: True" in out
