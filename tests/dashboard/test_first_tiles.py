"""The SQL first tiles (issue 21): the same numbers as the full KPIs, key for key, computed without pandas."""

from __future__ import annotations

import subprocess
import sys
from datetime import date

import pytest

from actdesk.domain.analytics.config import AnalyticsConfig
from actdesk.domain.analytics.first_tiles import TileSums, first_kpis
from actdesk.services import analytics
from actdesk.services.dashboard.first import first_numbers

from .conftest import AS_OF

CONFIG = AnalyticsConfig()


def _differences(first: dict, full: dict, path: str = "") -> list[str]:
    out = []
    for key, value in first.items():
        if isinstance(value, dict):
            out += _differences(value, full[key], f"{path}{key}.")
        elif value != full[key]:
            out.append(f"{path}{key}: {value!r} != {full[key]!r}")
    return out


@pytest.mark.parametrize("as_of", [AS_OF, date(2026, 10, 31), date(2025, 3, 15), date(2019, 1, 31)])
def test_first_tiles_equal_the_full_kpis(shared_book, as_of: date) -> None:
    first = first_numbers(shared_book, as_of, CONFIG).kpis
    full = analytics.kpis_for(shared_book, as_of, CONFIG, with_probabilities=False)
    assert _differences(first, full) == []
    assert first["clients"] > 0 or as_of.year < 2020  # real figures were compared on the recent dates


def test_first_kpis_of_plain_sums() -> None:
    sums = TileSums(
        clients=9,
        clients_at_start=10,
        retained=8,
        aum=110_000_00,
        aum_start=100_000_00,
        inflows=5_000_00,
        outflows=-2_000_00,
        start_outflows=-4_000_00,
        fees=1_200_00,
        recurring=1_000_00,
        one_off=200_00,
        prior_fees=1_000_00,
        run_rate=900_00,
    )
    k = first_kpis(sums, date(2026, 10, 31), date(2025, 10, 31), CONFIG)
    assert str(k["aum"]["net_flows"]) == "3000.00" and str(k["aum"]["market"]) == "7000.00"
    assert k["retention"]["client_rate"] == 0.8 and k["retention"]["asset_rate"] == pytest.approx(0.96)
    assert k["revenue"]["growth"] == pytest.approx(0.2)
    assert str(k["book_value"]["recurring_run_rate"]) == "900.00"
    empty = first_kpis(TileSums(*[0] * 13), date(2026, 10, 31), date(2025, 10, 31), CONFIG)
    assert empty["retention"]["client_rate"] is None and empty["revenue"]["growth"] is None


def test_first_numbers_import_no_pandas(shared_book) -> None:
    code = (
        "import sys\n"
        "from datetime import date\n"
        "from actdesk.domain.analytics.config import AnalyticsConfig\n"
        "from actdesk.services.dashboard.first import first_numbers\n"
        "from actdesk.storage.engine import connect\n"
        f"first_numbers(connect({str(shared_book.path)!r}, read_only=True), date(2026, 10, 31), AnalyticsConfig())\n"
        "print(sorted(m for m in ('pandas', 'numpy', 'matplotlib') if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
