import multiprocessing

from actdesk.cli import main

multiprocessing.freeze_support()  # a frozen app's alert child process must not start a second app

raise SystemExit(main())
