"""``python -m eduqa`` is the same as the ``eduqa`` command."""

import sys

from eduqa.cli import main

sys.exit(main())
