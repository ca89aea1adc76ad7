"""`python -m maturity_tui`: the same command line as the `maturity-tui` script."""

from maturity_tui.cli import main

raise SystemExit(main())
