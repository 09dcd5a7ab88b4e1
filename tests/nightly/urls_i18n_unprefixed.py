"""``urls_i18n`` with ``prefix_default_language=False``: English paths have no /en/ prefix."""

from __future__ import annotations

from tests.nightly.urls_i18n import site

urlpatterns = site(prefix_default_language=False)
