"""``python -m mud`` is the same as the ``mud`` console script."""

from mud.cli import main

raise SystemExit(main())
