"""``python -m admin_hits.live.pipe``, the same as ``python -m admin_hits.pipe``."""

from __future__ import annotations

import sys

from admin_hits.live.pipe.main import main

if __name__ == "__main__":
    sys.exit(main())
