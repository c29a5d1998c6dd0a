"""The eighth wave of issue 21: the hand-written findings, written back below the generated tables of
docs/performance.md by every bench run (``report_findings.FINDINGS``)."""

EIGHTH_KPIS = """## Issue 21, eighth wave (6 Dec 2026): every KPI from plain records, no pandas

`compute_kpis` reads `BookRecords` (`domain/analytics/records.py`: dicts and tuples of integer cents and
dates), which `storage/book_records.load_book_records` fills from the same aggregate queries as before, each
built once per process with its dates as bound parameters and fetched as plain tuples. Every metric (AUM
change, retention, revenue, segments, stack ranking, share of wallet, depth, referral sources,
characteristics) is one plain-Python implementation; the pandas versions are gone, and the reports, the
dashboard, referrals, the pipeline, campaigns and service levels read the same functions. The KPI path
imports neither pandas nor numpy (a test in a fresh process checks it). `load_book_frames` reads the records
with the same queries (`BookFrames.records`) and keeps only the frames the series and the model read.

Same output: `scripts/compare_kpis.py` ran the old tree and the new on the three bench books and three demo
books (80 households, seeds 1-3, each with households that left and came back) at 12 as-of dates (month-ends,
29 Feb 2024, mid-month days, 31 Dec 1999 before any client), with and without retention probabilities: 144
cases, no difference in any key or value (money to the cent, rates within 1e-12). The one change is the
order of departures on the same day (30 lists on the 2,000 and 10,000 books): the old code left it to
numpy's unstable sort, the new orders by household id.

Measured in-process on the shared 2-core machine (load 2.1-3.1), `load_book_records` + `compute_kpis`
against the four-query floor, old tree and new alternated three times, each the median of 5 warm runs:

| book | before: wall / CPU, x floor | after: wall / CPU, x floor | goal |
|---|---|---|---|
| 150 households | 77-91 ms / 77-85 ms, 20-27x | 8.1-12.0 ms / 8.1-12.0 ms, 2.0-3.8x | <= 5x: met |
| 2,000 households | 150-180 ms / 146-172 ms, 6.5-7.7x | 82-105 ms / 82-106 ms, 3.6-4.4x | not worse: met |
| 10,000 households | 555-591 ms / 533-578 ms, 4.6-5.1x | 547-640 ms / 535-612 ms, 5.0-5.4x | <= 3x (quiet): unchanged |

`bench/run.py --only KPIs` at 11:36 (load 3.2): 5.7 ms (2.8x), 53 ms (2.4x), 389 ms (3.3x). `actdesk kpis
--json` on 150 households, fresh processes, old and new alternated 9 times (load 2.1-2.5): repeated (the kept
answer) 0.345 -> 0.340 s, cold (answer dropped, model kept) 0.809 -> 0.731 s; the cold one still loads
pandas for the retention model's scoring.

Not reached, and why: on 10,000 households the KPIs stay where they were (3.1x on a quiet machine before).
There the SQL is most of it (the balance seeks at three dates, the fees of two years, contacts summed per
household: about 0.3 s of the 0.55 s) and plain Python pays about 1 microsecond per household per metric
(0.1 s for 6,600 clients), what pandas paid in vectorised passes. A cheaper stress book needs less SQL
(the 6-month balances only the households table reads), not a second implementation.
"""
