from gazouillis.cli import main

raise SystemExit(main())
