"""`python -m bot` is the `threads-bridge` command."""

from bot.runtime.cli import main

raise SystemExit(main())
