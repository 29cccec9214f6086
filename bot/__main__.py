"""``python -m bot`` runs the statusbot command."""

import sys

from bot.cli import main

sys.exit(main())
