"""The ninth wave of issue 21: the hand-written findings, written back below the generated tables of
docs/performance.md by every bench run (``report_findings.FINDINGS``)."""

NINTH_KPIS = """## Issue 21, ninth wave (6 Dec 2026): the stress book's KPIs and first tiles against the floor

The goal: all KPIs and the first tiles within 2.5x of the hand-written SQL floor on the 10,000-household
book (median of at least 5 runs), the 150- and 2,000-household books no worse. Same output: every KPI of
77941c1 and of this tree compared by `scripts/compare_kpis.py` on the three bench books and three
80-household demo books (seeds 1-3, households that left and came back) at its 12 as-of dates, with and
without retention probabilities: 144 cases, 0 differences; the first tiles' KPIs of both trees on the same
six books and 12 dates: 72 cases, 0 differences.

Where a warm run of the stress book went (CPU, in-process, load 0.7, before): SQL on the session 130 ms
(contacts summed per household 33, accounts 17, fees of two years 46, households 9), on the second
connection 128 ms (balances at two dates 88, flows 40), building the records 24 ms, `compute_kpis` 104 ms
(characteristics 28, segments 14, stack ranking 13), young collections about 25 ms. The first tiles: 311 ms,
of which two flow sums read through the date index 100-118 ms each and three balance sums 53 ms each.

What changed (docs/metrics.md, "Plain records" and the SQLite notes):

- the latest balance on or before D reads the balance dated D from the covering date index first
  (`storage/latest_balance.py`; `INDEXED BY` compiled into the FROM text): the KPIs' balances 88 -> 43 ms,
  each tile balance sum 53 -> 16 ms;
- the tiles' flows seek each managed account's range (`likely()`, as the KPIs' flows): 100-118 -> 27 ms each;
  the tiles' eleven statements are built once per process (on 150 households building them was 6 of 8 ms);
- fees summed per year, the only split any KPI reads: 46 -> 36-41 ms; the primary contact from the grouped
  row (SQLite's bare columns): 33 -> 30 ms; the overlapped halves rebalanced (about 100 and 125 ms of work);
- `compute_kpis` 104 -> about 79 ms (load 1-4): one revenue sort for the segments, the Pareto share and
  the ten ranking rows shown; the characteristics' bands inline (28 -> 15 ms); net worths as one dict.

`bench/run.py --sizes solo practice stress --only KPIs --runs 5 --no-common`, 77941c1 and this tree
alternated five times at 14:07-14:08 (load 1.5-3.3, rising; two other engineers at work), medians of the
five figures (each itself the median of 5 runs), wall / CPU:

| book | figure | before: wall / CPU, x floor | after: wall / CPU, x floor | goal |
|---|---|---|---|---|
| 150 households | all KPIs | 10.4 / 9.6 ms, 4.1x | 7.8 / 6.8 ms, 3.3x | not worse than 6.0 ms, 3.2x: met |
| | first tiles | 13.4 / 9.7 ms, 4.7x | 3.4 / 3.0 ms, 1.4x | not worse: met |
| 2,000 households | all KPIs | 97 / 89 ms, 4.1x | 73 / 68 ms, 2.8x | not worse than 80 ms, 3.8x: met |
| | first tiles | 58 / 50 ms, 2.1x | 27 / 21 ms, 0.9x | not worse: met |
| 10,000 households | all KPIs | 536 / 516 ms, 4.3x | 410 / 361 ms, 3.0x (2.8-4.5) | <= 2.5x: not at this load |
| | first tiles | 395 / 367 ms, 3.3x | 133 / 116 ms, 1.0x (0.8-1.1) | <= 2.5x: met |

The floor: 2.4, 25-27 and 126-134 ms wall (2.2-2.4, 23-24 and 112-116 ms CPU). The stress book alone, five
more alternations at 14:10-14:12 (load average 1.1-1.4, but two other engineers' test processes at 94% of a
core each): all KPIs 517 -> 408 ms (3.6x -> 3.2x), first tiles 427 -> 183 ms (3.0x -> 1.4x), floor 127-148
ms. The same five alternations at
13:59-14:02 (load 5.4-5.8): stress all KPIs 891 -> 561 ms (3.8x -> 3.3x), first tiles 566 -> 170 ms
(3.4x -> 0.9x); 2,000: all KPIs 3.5x -> 3.3x, tiles 2.2x -> 0.8x; 150: all KPIs 5.3x -> 3.7x, tiles 6.0x ->
1.3x. In-process, fresh processes alternated at load 3.9-4.8 (medians of 7 warm runs): all KPIs on 10,000
households 523-599 -> 367-405 ms CPU against a floor of 110-126 ms; 2,000 81 -> 63-87 ms; 150 6.8-7.7 ->
5.4-7.2 ms; the tiles 316-419 -> 113-148, 51-59 -> 20-21 and 8.9-9.2 -> 2.3-3.4 ms.

Not reached, and why: on this shared machine the stress book's all-KPIs figure stays above 2.5x (3.0x at
load 1.5-3.3, 3.3x at load 5; in CPU 3.1x), though it fell by a quarter to a third against the old tree
measured beside it (4.3x and 3.8x there; the lead's 2.7-3.3x for the old tree was at load 0.6-1.8). Its work
is now about 225 ms of SQL and record building split over two connections (about 100 and 125 ms), 79 ms of
`compute_kpis` and 20 ms of young collections. When both halves get a core the run should be about the
session's half plus the computing, 0.23-0.25 s or 2.1-2.3x of a 0.11 s floor (an estimate from the parts'
CPU times, not a measurement); when the other processes hold the cores the halves queue and the figure
becomes the whole CPU time, 3x. To be re-measured on the quiet machine. Going further needs less SQL per
household (contacts, accounts and fees per household: 30, 16 and 36-41 ms, where the floor reads only
book-wide sums) or less Python per client (about 12 microseconds per client household over all metrics).
"""
