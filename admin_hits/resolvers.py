"""``from admin_hits.resolvers import register_url``: the documented import for teaching
``parse_log`` a URL pattern it can not resolve on its own (see the README).

The URL rules live in ``admin_hits.nightly.url_rules``; this module keeps the public name.
"""

from __future__ import annotations

from admin_hits.nightly.url_rules import register_url

__all__ = ["register_url"]
