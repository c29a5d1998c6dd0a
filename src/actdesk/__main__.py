from actdesk.cli import main

raise SystemExit(main())
