"""What each wave of issue 21 changed and measured: the hand-written part of docs/performance.md, kept
here so that every bench run writes it back below the generated tables."""

from report_findings_earlier import FIFTH, FIFTH_START, FOURTH, PREVIOUS
from report_findings_eighth import EIGHTH_KPIS, EIGHTH_MERGED, EIGHTH_STALL
from report_findings_ninth import NINTH_KPIS, NINTH_MERGED, NINTH_STALL
from report_findings_sixth import SIXTH_CLI, SIXTH_MERGED, SIXTH_PAINT, SIXTH_PDF, SIXTH_SETTLE
from report_findings_tenth import TENTH_KPIS

SEVENTH_ALERTS = """## Issue 21, seventh wave (6 Dec 2026): the alert rules without pandas

Measured on the shared 2-core machine while three other engineers worked (load 3–7; CPU is the guide, wall
several times stretched). CPU is user + system of the whole process, fresh processes on the bench's books.
*Before* is the commit this work started from (2a87ce2, an exported copy of its tree), *after* this branch,
alternating process by process; "kept" means the retention probabilities kept in the book by a first run.

| `actdesk alerts --json` | before: CPU (wall) | after: CPU (wall) | goal (quiet, wall) |
|---|--:|--:|--:|
| 150 households, kept (5 runs, 09:14, load 3.1) | 1.10 s (1.34 s) | 0.58 s (0.76 s) | ≤ 0.8 s |
| 150 households, kept, with the command's GC thresholds (7 runs, 09:22, load 4.0) | 1.11 s (2.12 s) | 0.54 s (0.88 s) | ≤ 0.8 s |
| 150 households, cold: fits the model (3 runs, 09:27, load 4.4) | 1.44 s (4.27 s) | 1.13 s (3.26 s) | — |
| 2,000 households, kept (5 runs, 09:29, load 7.5) | 1.67 s (7.29 s) | 1.03 s (4.12 s) | — |
| 2,000 households, cold (3 runs, 09:28, load 6.7) | 2.15 s (10.1 s) | 1.91 s (9.0 s) | — |

`bench/run.py --sizes solo --only "command line" --runs 3`, after at 09:23–09:24 (load 4.1 → 3.5): `alerts`
565 ms wall, 533 ms CPU; fixed overhead 324 ms (interpreter 24 ms, imports 299 ms: SQLAlchemy, no longer
numpy or pandas), parsing, opening the book and the work 242 ms. Before and after again back to back at
09:24–09:26 (load 3.3–4.3): 1.50 s wall, 1.03 s CPU → 1.14 s wall, 653 ms CPU. In one process with the
probabilities kept (facts and rules only, median of 5): 150 households 108–116 → 25–28 ms CPU, 2,000
418–449 → 280–283 ms, 10,000 (synthetic, 8,289 clients, median of 3) 2.06 → 1.69 s.

What was done:

- **The rules on plain Python records** (`domain/alerts/`). The facts were pandas frames and every rule a
  vectorised pass, which made the command import pandas and numpy (about 0.3 s quiet) for work that on 40 to
  10,000 households plain Python does as fast: one `HouseholdFacts` (slots dataclass, dates as
  `datetime.date`) per client household with its outflows, members and events, each rule one loop
  (docs/alerts.md, "Facts without pandas"). The loader folds the same grouped SQL into those records. The
  retention probability's dataclass and the segment sizes moved out of the model's and the analytics'
  modules (`domain/analytics/probability.py`, `segment_sizes.py`), which imported numpy and pandas. With
  the probabilities kept, `actdesk alerts --json` imports neither (a fresh-process test); a run that must
  fit the model imports them then. The same findings, bit for bit (households, rules, severities, texts in
  English and Spanish, magnitudes and references), on the 150- and 2,000-household books at two dates, a
  demo book, the tests' book and a 10,000-household synthetic book: 25,810 findings compared.
- **A young generation of 200,000 objects for commands** (`gc_tuning.COMMAND_THRESHOLDS`, the window
  keeps 50,000). At 50,000, `alerts --json` on 150 households ran two young collections over the objects
  its imports had just made (40–60 ms by `gc.callbacks`); at 200,000 none. Peak memory unchanged (60 MB;
  10,000 households 152 MB; a 6,000-card vCard import 101 MB), and a test proves cyclic garbage is still
  collected. Freezing the heap after the imports was not added: with no collection left there is nothing
  for it to save.

Not done, and why:

- **The write half** (about 0.1 s of the 150-household run under a profiler): the retention snapshots are
  deleted and rewritten every run, through the audit trail's hooks, even when unchanged. Skipping an
  unchanged rewrite changes what the book records; left for the storage owner.
- **Babel** formats every finding's money and dates (most of the rules' time on 2,000 and 10,000 households);
  untouched: `formats.py` is every screen's.
"""


SEVENTH_MEMORY = """## Issue 21, seventh wave (6 Dec 2026): the stress book's peak memory, the retention fit's working set

The largest process on the stress book (10,000 households) is the window's child, at the retention model's
fit (the window's own process stays near 230-260 MB). *Before* is the commit this work started from (aef3bee,
an exported copy of its tree), *after* this branch, alternating run by run on fresh copies of the book.

| stress book | before | after | goal |
|---|--:|--:|--:|
| app start, largest process (`bench/startup.py`, 3 runs each, 10:14-10:17, load 0.7-1.6) | 465 / 465 / 465 MB | 344 / 352 / 344 MB | < 400 MB |
| the child's work in one process: frames, model, alerts (3 runs each, 10:17-10:18, load 1.0) | 472 / 472 / 474 MB | 344 / 341 / 341 MB | — |
| CPU of the model's step there (fit, backtest, scoring) | 8.7 / 9.5 / 9.6 s | 8.8 / 8.7 / 9.2 s | — |

Where it was (tracemalloc and RSS sampled beside the fit): the history (90 MB, float64 and float32
month matrices) and the landmark features' running totals (68 MB) both alive, the table of every month's
landmarks (89 months, 55 MB), a stacked copy of every scored landmark's features (41 MB), each method's
predictions and the isotonic fit's Python floats (35 MB) at the end of the backtest. Not pandas, and not
copies made by concatenation in the load: the history's own load peaked lower than the fit.

What was done, none of it changing a number (probabilities, bands, reasons, the backtest and the alert
findings compared equal with `==` before and after on the stress book and on 150- and 2,000-household demo
books at two dates; KPIs to the cent):

- **The history's monthly amounts let go during the fit.** `FeatureBuilder` keeps their running totals and
  `HouseholdHistory.without_monthly_sums()`; the service hands the builder, not the history, to the fit and
  to the scoring, which reuses it rather than building it again (52 MB).
- **The backtest keeps what it will read.** Scored landmarks without their features
  (`Landmarks.outcomes()`), months off the training grid forgotten once the backtest has moved past them
  (`LandmarkTable.release`; asked for again, a month is computed again to the same figures), each method's
  predictions freed once scored, the isotonic fit's sorted copies freed once summed and its blocks read
  65,536 at a time.
- **`load_history`** lets the dense balance table (30 MB) go once filled forward and reads fees in chunks.

Not done: float32 or narrower dtypes for the flows (not bit-identical), and a malloc tuning of the child
(`MALLOC_MMAP_THRESHOLD_`, `MALLOC_TRIM_THRESHOLD_`: 1-5 MB less at 15-25 % more CPU of the fit).
"""


SEVENTH_PDF = """## Issue 21, seventh wave (6 Dec 2026): the reports' libraries loaded once, without the collector

Measured on the shared 2-core machine while three other engineers ran suites and benchmarks (load 3-7;
CPU is the guide). CPU is user + system of the whole process, the 150-household demo book (a scratch copy),
`--as-of 2026-10-31`. *Before* is the commit this work started from (2a87ce2, run from an exported copy of
its tree with the same bytecode cache), *after* this branch; 5 fresh processes each, before and after
alternating, medians (09:31-09:33 UTC), and `bench/run.py --sizes solo --runs 5 --only "command line"`.

| figure (150 households) | before | after | goal |
|---|--:|--:|--:|
| `report stack-ranking --format pdf`, CPU (wall), load 3.8-4.8 | 1.60 s (2.29 s) | **1.23 s** (1.85 s) | ≤ 1.5 s |
| the same, bench, load 3.0-3.6 (quiet at 08:06: 1.55 s, CPU 1.66 s) | — | **1.26 s** wall (1.15-1.80), 1.23 s CPU | ≤ 1.5 s |
| `report aging --format pdf`, CPU (wall) | 1.52 s (1.50 s) | 1.07 s (1.03 s) | — |
| `report stack-ranking --format xlsx`, CPU (wall) | 1.01 s (0.99 s) | 0.77 s (0.77 s) | — |
| `report stack-ranking --format pdf`, 2,000 households, 3 pairs, load 1.8-2.1 | 3.23 s (3.07 s) | 2.71 s (2.73 s) | — |
| the interpreter's exit (atexit to process end), stack ranking PDF, load 4-6 | 0.31-0.38 s | 0.03-0.04 s | — |
| importing `backend_pdf` and `matplotlib.figure` (numpy loaded), 9 alternating, load 4 | 289 ms | 235 ms | — |

Where the time went (before; `-X importtime`, cProfile and `time.process_time()` marks in fresh processes,
load 2-4): imports 0.72 s under `-X importtime` (pandas 0.24 s with numpy 0.07 s, SQLAlchemy with the
storage modules 0.17 s, matplotlib's figure and PDF backend 0.16 s, the command line 0.05 s); opening the
book 0.02-0.08 s; the frames 0.15 s (a third of it SQL compiled by the ORM); the build 0.035 s; the writing
0.36 s at load 3 (half the tables' text: HarfBuzz shapes each of the 746 distinct lines in about 55 µs plus
12-18 µs a character, so fewer calls would not help; half the three charts: ticks, their labels measured and
shaped). Two costs no profile of the work shows: 27 young collections of the garbage collector during the
imports (60 ms), and the interpreter's finalisation after the command, 0.31-0.38 s CPU at load 5, most of
it the last collection going through the whole heap of modules, classes and functions, which live until
the process ends anyway.

What was done (for every report and format: the command line shares it):

- **The book, the builder and the writer load first, with the collector paused** (`gc_tuning.loading`,
  `cli/cmd_report.py`, `ReportSpec.builder`, `render.load_writer`): no collections while they load, then,
  in a process that ends with its command (`python -m actdesk`; not tests calling `main()`), what they
  loaded is frozen (`gc.freeze`), and what is left once the file is written (`gc_tuning.finished`). The
  report's own work is collected as before; the book is disposed and its lock released as before.
- **The PDF backend loads without the artists' `set()` signatures** (`render/pdf_imports.py`), as the
  property-list docstrings already were: classes loaded then keep `set(self, **kwargs)` and take and check
  the same properties.
- **The aging and service-level reports' segments no longer load 13 months of book-level series** that
  segments never read (the same segments, tested): 55 -> 30 ms, 34 -> 12 SQL statements.
- Output unchanged: the ten reports render pixel-identical at 100 dpi (pdftoppm) before and after.

Not reached, and why:

- **1.25 s quiet is at the edge.** What is left is mostly libraries (pandas, SQLAlchemy with its ORM,
  matplotlib: about 0.55 s quiet) and the text's shaping. A stack ranking without pandas means the frames
  loader and the KPI functions it shares with the dashboard (`domain/analytics`, all pandas) rewritten as
  the one implementation: not started (another branch works on the KPIs' path). The ORM's statement
  compilation is in storage, also another branch's. Tried and dropped: deferring `matplotlib.dviread` like
  fontTools' subsetter (the Agg backend, which `backend_pdf` imports, imports a name from it); caching
  Babel's parsed patterns (10 ms for 950 cells at load 4); the charts' titles placed at the top instead of
  by matplotlib's automatic placement, which measures every tick label (exactly where it would go, but
  those labels are measured for the drawing anyway: the writing took 351 ms both ways, 5 pairs at load 2.5).
- **Every command pays the same exit.** Measured after the command (load 2.6-4.3): `alerts --json`
  0.22-0.25 s CPU of 1.13-1.33 s, `kpis --json` 0.09-0.21 s. Freezing at the end of every command
  (`gc_tuning.finished()` in `cli.main`) would likely bring `alerts --json` near its 0.8 s goal; not done
  here: it is every command's behaviour (an unclosed file kept alive by a reference cycle would no longer be
  flushed by the last collection), for the branches that own them to decide and test. *Done after the
  merge* (SEVENTH_MERGED): `cli.main` calls it last for every command, once the book is closed and the
  output flushed; a fresh-process test checks the answer is whole and the book closed and unlocked.
"""

SEVENTH_MERGED = """## Issue 21, seventh wave (6 Dec 2026): the merged tree on a quiet machine

The seventh wave's branches below were measured while up to five engineers shared the machine. After
merging them (and `gc_tuning.finished()` for every command, below), the runner measured the whole tree with
nothing else running: 10:26-10:32 UTC (load 0.9-2.2: the tables above), start-up re-measured at 10:32 with 5
runs and the solo KPIs at 10:33 with 5. Before is the sixth wave's finished tree (08:04-08:06, load
0.9-1.3).

| figure (150 / 2,000 households) | sixth wave | seventh wave | goal |
|---|---|---|---|
| start to first paint, warm | 221 / 219 ms (1.9x / 2.1x the bare window) | 221 / 264 ms (2.1x / 2.2x) | <= 3x: met |
| start to first numbers | 0.66 / 0.74 s | 0.64 / 0.81 s | 1.0 / 1.5 s: met |
| start to settled | 2.21 / 2.76 s | 2.00 / 2.80 s | 4 s: met |
| longest GUI-thread stall, first paint to settled, median (worst run) | 33 / 36 ms (50 / 36) | 27 / 39 ms (50 / 69) | 50 ms in every run: missed in 2 of 10 runs |
| peak memory with the book open | 234 / 251 MB | 234 / 251 MB | < 400 MB: met |
| `--help` | 148 ms | 138 ms | 250 ms: met |
| `kpis --json` repeated / cold | 0.41 / 0.91 s | 0.32 / 0.75 s | 0.6 s: met (repeated) |
| `probabilities --json` repeated / cold | 0.38 / 0.80 s | 0.38 / 0.64 s | 1.0 s: met |
| `alerts --json` | 0.89 s | 0.40 s | 0.8 s: met |
| stack-ranking PDF | 1.55 s (CPU 1.66 s) | 1.18 s (CPU 1.29 s) | 1.5 s: met |
| all KPIs in-process / the first tiles from SQL, x the SQL floor | 40x / 4.5x | 40x / 4.6x | 5x: all KPIs missed |
| stress book (10,000): peak memory, largest process | 1,071 MB (5 Dec, an older tree) | 272 MB (344 MB over a whole start to settled, SEVENTH_MEMORY) | < 400 MB: met |
| stress book: all KPIs x the SQL floor | 3.1x (5 Dec, load 13) | 3.1x (CPU 4.6x) | <= 3x: missed |

Where the gains came from: `alerts --json`, from the rules on plain Python records and no pandas or numpy
imported (SEVENTH_ALERTS) and from every command freezing its heap before the interpreter's last
collection (0.50-0.64 -> 0.40 s CPU for `alerts --json`, 0.39-0.49 -> 0.31-0.36 s for `kpis --json`, 7 runs
each at load 1.8); the PDF, from loading without the collector (SEVENTH_PDF); the stress book's memory, from
the retention fit letting go of what it will not read again (SEVENTH_MEMORY).

Not reached, and why: all KPIs in-process stay 40x the four-query floor on 150 households (75 ms: 25 ms
loading frames through SQLAlchemy and pandas, 47 ms of pandas operations of about 0.1 ms each on 150 rows);
5x (9 ms) needs every KPI computed from SQL aggregates and plain Python, one implementation exact to the
cent replacing the pandas one, which this wave did not attempt. The first numbers the advisor sees come from
SQL (4.6x). The stall over 50 ms in 2 of 10 start-ups was Qt with no Python frame on the GUI thread (layout,
paint, or waiting for the interpreter lock while a worker runs Python).
"""

FINDINGS = "\n".join(
    [
        TENTH_KPIS,
        NINTH_MERGED,
        NINTH_STALL,
        NINTH_KPIS,
        EIGHTH_MERGED,
        EIGHTH_KPIS,
        EIGHTH_STALL,
        SEVENTH_MERGED,
        SEVENTH_ALERTS,
        SEVENTH_MEMORY,
        SEVENTH_PDF,
        SIXTH_MERGED,
        SIXTH_PAINT,
        SIXTH_SETTLE,
        SIXTH_CLI,
        SIXTH_PDF,
        FIFTH,
        FIFTH_START,
        FOURTH,
        PREVIOUS,
    ]
)
