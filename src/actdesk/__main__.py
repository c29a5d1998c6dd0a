import sys

from actdesk.cli import main

if getattr(sys, "frozen", False):  # a frozen app's alert child process must not start a second app
    import multiprocessing

    multiprocessing.freeze_support()

raise SystemExit(main())
