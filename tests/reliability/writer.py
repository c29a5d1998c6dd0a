"""A real writer process for the crash and lock tests: ``python writer.py DB burst|hold [ROUNDS]``.

``burst`` commits small units of work as fast as it can and prints each committed change on its own line
*after* the commit returned (so every printed line is a promise the book must keep):
``h <household id> <contact id>`` for inserts and ``u <household id> <counter>`` for updates.
``hold`` opens the book, prints ``ready`` and waits for stdin to close (a second actdesk holding the lock).
"""

from __future__ import annotations

import sys

from actdesk.storage.open import open_book
from actdesk.storage.tables.book import ContactRow, HouseholdRow


def burst(path: str, rounds: int) -> None:
    book = open_book(path)
    print("ready", flush=True)
    ids: list[int] = []
    for n in range(rounds):
        with book.session() as s:
            household = HouseholdRow(name=f"Crash household {n}", status="client", owner="0")
            s.add(household)
            s.flush()
            contact = ContactRow(
                household_id=household.id, first_name="Test", last_name=f"Person {n}", role="primary"
            )
            s.add(contact)
            s.flush()
            hid, cid = household.id, contact.id
        print(f"h {hid} {cid}", flush=True)
        ids.append(hid)
        if n % 3 == 2:
            target = ids[n // 2]
            with book.session() as s:
                row = s.get(HouseholdRow, target)
                assert row is not None
                row.owner = str(n)
            print(f"u {target} {n}", flush=True)
    book.dispose()


def hold(path: str) -> None:
    book = open_book(path)
    print("ready", flush=True)
    sys.stdin.read()
    book.dispose()


if __name__ == "__main__":
    if sys.argv[2] == "burst":
        burst(sys.argv[1], int(sys.argv[3]) if len(sys.argv) > 3 else 100_000)
    else:
        hold(sys.argv[1])
