"""The tenth wave of issue 21: the hand-written findings, written back below the generated tables of
docs/performance.md by every bench run (``report_findings.FINDINGS``)."""

TENTH_KPIS = """## Issue 21, tenth wave (6 Dec 2026): why the stress book's "all KPIs" read 4.0x, and what it reads now

The ninth wave's quiet run put the 10,000-household book's all KPIs at 421-432 ms, 4.0-4.1x a floor of
104-106 ms (goal <= 3x). Re-measured at 15:21-15:31 UTC on the same tree and book, nothing else running
(load 0.8-1.1): 243 ms (2.2x) alone, 277 ms (2.5x) after the "card and search" step, 220 ms (2.2x) after the
stress book's start-up, command line and card steps, and 296 ms (2.9x) in a whole three-size run
(samples 241, 520, 296 ms). The earlier 7 samples were all slow (390-461 ms wall, 520-640 ms CPU) while the
floor beside them was not (105-118 ms).

**What the figure depends on.** The load reads the balances and fees on a second connection in a second
thread while the first reads the rest and builds the records (`storage/overlapped_read.py`): on two free
cores the halves overlap; when the machine's other core is busy they do not, and the single-threaded floor
does not notice. Every thread of the process held to one core (`os.sched_setaffinity`, in-process, GC as the
child process tunes it): 331-376 ms, 2.9-3.2x the floor measured beside it. What the bench's process ran
before made no measurable difference: collections during the KPIs were 16-30 ms a run whatever ran before
(`gc.callbacks`), and a practice-size dashboard, alert evaluation or card step before them moved the median
by less than the run-to-run spread (220-360 ms).

**What changed.**
- `kpis_for` (what `actdesk kpis` and the bench run) reads the records and computes the KPIs with automatic
  collection paused (`gc_tuning.no_cycle_collection`): the records and KPIs hold no reference cycles, and
  the young collections their tuples and dicts set off cost 16-30 ms of each run at the window's
  thresholds. The model's fit, when one is needed, runs with the collector on. Pauses now nest from any
  thread (start-up's `pause_collector` and a computation's on a worker): collection resumes when the last
  ends, and only if it was on when the first began (`tests/test_gc_tuning.py`). One core, alternated with
  the tree before, 3 pairs at load 0.2-0.4: 337-340 -> 305-325 ms. On two cores no difference beyond the
  spread (236-257 against 239-254 ms).
- The accounts are counted per household in the balance read's own pass over them (`aum_rows`), not in a
  query of their own: 16 ms saved, 9-10 ms added to that read (40 -> 49-50 ms, best of 9). `scripts/compare_kpis.py` against caf7231 on the three
  bench books, 12 as-of dates, with and without probabilities: 72 cases, 0 differences. Against the tree
  before, 5 pairs alternated: within the spread (one core 335 against 348 ms median).
- The bench calls `kpis_for` itself instead of rebuilding it from its parts, gives each KPI figure at least
  7 samples (under half a second each: with 3, one busy moment moved the median by a third), and adds
  **All KPIs, the process held to one core** (`kpis_one_core`, no goal) beside the two-core figure, so that
  a reader sees what the figure is on a machine whose other core is busy.

**Tried and not kept.** Dates parsed with a per-load memo instead of `day_of` (32,000 a load): slower
(6.3 against 4.2 ms; most dates are distinct). The fees of two years summed with arithmetic instead of
`CASE`, with `FILTER`, grouped by (household, year, kind), or driven from the households through the
(household, date) index: 31-38 ms against 34 ms. The GROUP BY's sort is 14 ms of it, each conditional
sum 5-8 ms; reading the rows costs 6 ms. The contacts summed per household: 30 ms through the
(household) index, 37 ms by a scan and a sort; only a covering index would change it (a migration and a
bigger file for every book, for 20 ms on 10,000 households), not done.

**Measured after** (the tables above; whole three-size run 16:02-16:09 UTC, 5 start-ups a book, KPI figures
7 samples, load 1.1-1.3 at its start, falling to 0.2; the solo book's command-line step re-run at 16:13 at
load 0.5, the first pass having run while the machine was still busy with an A/B: PDF 1.52 s there, 1.30 s
quiet, and 1.189 against 1.192 s for caf7231 and this tree in 11 alternated runs):

| figure (150 / 2,000 / 10,000 households) | ninth wave (14:53) | now | goal |
|---|---|---|---|
| all KPIs, x the SQL floor | 3.4x / 2.0x / 4.0-4.1x | 2.9x / 2.2x / **2.5x** (248 ms, floor 101 ms) | 5x / 5x / 3x: met |
| all KPIs, one core, x the floor | - | 3.5x / 3.1x / 3.2x (328 ms) | no goal: what a busy second core leaves |
| first tiles, x the floor | 1.3x / 0.9x / 1.1x | 1.4x / 1.0x / 1.0x | 5x / 5x / 3x: met |
| first numbers, warm | 0.65 / 0.68 s | 0.63 / 0.68 s (stress 0.78 s) | 1.0 / 1.5 s: met |
| settled, warm | 2.22 / 2.96 s | 1.97 / 2.81 s | 4 s: met |
| longest stall, first paint to settled | 26 / 23 ms (3 runs) | 24 / 19 / 27 ms worst of 5 each (15 start-ups, none over 34 ms) | 50 ms: met |
| `kpis --json` / `alerts --json` / `probabilities --json`, 150 | 322 / 418 / 335 ms | 327 / 394 / 358 ms | 600 / 800 / 1,000 ms: met |
| stack-ranking PDF, 150 | 1.24 s | 1.30 s | 1.5 s: met |

Not reached: the stress book's two-core figure holds 3x with a margin of about 50 ms; on one core it is
3.2x. Closing that would take the contacts' covering index above or a cheaper `compute_kpis` (84 ms of pure
Python over 6,636 clients, about 13 us a client, already one pass per figure).
"""
