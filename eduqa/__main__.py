"""``python -m eduqa`` is the same as the ``eduqa`` command."""

import sys

from .cli import main

sys.exit(main())
