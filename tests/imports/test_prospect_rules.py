"""A prospect is never a client in the KPIs (issue 20): import-book refuses a prospect with client_since, and a
contacts import that calls an existing prospect a client makes it one, from the import's date."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from actdesk.cli import main

from .helpers import SAMPLES


def run(capsys, db: Path, *args: str) -> tuple[int, object]:  # type: ignore[no-untyped-def]
    code = main(["--db", str(db), *args])
    out = capsys.readouterr().out
    return code, (json.loads(out) if "--json" in args and code == 0 else out)


def test_import_book_refuses_a_prospect_with_client_since(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "book"
    folder.mkdir()
    (folder / "households.csv").write_text(
        "id,name,status,client_since\n1,Able,client,2020-01-01\n2,Baker,prospect,2021-05-01\n",
        encoding="utf-8",
    )
    assert main(["--db", str(tmp_path / "b.db"), "import-book", str(folder)]) == 2
    err = capsys.readouterr().err
    assert "households.csv:3: client_since: a prospect cannot have client_since" in err
    assert "nothing was imported" in err


def test_a_contacts_import_upgrades_an_existing_prospect(
    tmp_path: Path, capsys, empty_book, db_path: Path
) -> None:  # type: ignore[no-untyped-def]
    db = db_path
    code, first = run(capsys, db, "import", "contacts", str(SAMPLES / "redtail_contacts.csv"), "--json")
    assert code == 0 and first["households_upgraded"] == []  # type: ignore[index]
    today = datetime.now(UTC).date().isoformat()
    # A new household the file calls a client is a client in the KPIs too, from the import's date.
    code, kpis = run(capsys, db, "kpis", "--as-of", today, "--json")
    assert kpis["clients"] == 1  # type: ignore[index]
    code, prospects = run(capsys, db, "prospects", "--as-of", today, "--json")
    assert [p["household"] for p in prospects] == ["Raman Household"]  # type: ignore[union-attr,index]
    # The same CRM a month later: Priya Raman is now a client.
    later = tmp_path / "later.csv"
    text = (SAMPLES / "redtail_contacts.csv").read_text(encoding="utf-8")
    later.write_text(
        text.replace('"Raman","","","11/30/1971","Prospect"', '"Raman","","","11/30/1971","Client"')
    )
    code, second = run(capsys, db, "import", "contacts", str(later), "--json")
    assert code == 0 and len(second["households_upgraded"]) == 1  # type: ignore[index,arg-type]
    code, kpis = run(capsys, db, "kpis", "--as-of", today, "--json")
    assert kpis["clients"] == 2  # type: ignore[index]
    code, prospects = run(capsys, db, "prospects", "--as-of", today, "--json")
    assert prospects == []
    # undo puts the prospect back
    assert main(["--db", str(db), "import", "undo", str(second["batch_id"])]) == 0  # type: ignore[index]
    capsys.readouterr()
    code, prospects = run(capsys, db, "prospects", "--as-of", today, "--json")
    assert [p["household"] for p in prospects] == ["Raman Household"]  # type: ignore[union-attr,index]
