"""`python -m bot` is the `threads-bridge` command."""

from bot.cli import main

raise SystemExit(main())
