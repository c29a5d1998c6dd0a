"""The alert evaluation as a service: one evaluation (``evaluation.evaluate_book``), its periodic runner
(``engine.AlertEngine``) and the advisor's actions (``actions``).

Import the module you need: this package imports none of them, so the command line's ``alerts`` does not load
the window's runner and child process (``multiprocessing``, ``concurrent.futures``) it never starts.
"""
