"""``python -m admin_hits.pipe``: runs ``admin_hits.live.pipe.main``."""

from __future__ import annotations

import sys

from admin_hits.live.pipe.main import main

if __name__ == "__main__":
    sys.exit(main())
