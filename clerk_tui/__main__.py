from clerk_tui.cli import main

raise SystemExit(main())
