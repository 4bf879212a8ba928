"""`python -m app ...` runs the command-line adapter."""

from app.cli import main

raise SystemExit(main())
