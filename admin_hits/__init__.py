"""Traffic analytics from web-server access logs, shown in the Django admin."""

from __future__ import annotations

__version__ = "0.1.0"
