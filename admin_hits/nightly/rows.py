"""``Table``: a day's rows for one model, as ``parse_log`` builds and writes them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import models


@dataclass
class Table:
    """A day's rows for one model, as tuples in the order of ``fields`` (no model instances:
    a busy day has tens of thousands of paths, and instances cost more than the insert)."""

    model: type[models.Model]
    fields: tuple[str, ...]
    rows: list[tuple[Any, ...]] = field(default_factory=list)

    def of_site(self, site: int) -> Table:
        """These rows as the rows of ``site`` (``models.sites``): one column more."""
        return Table(self.model, (*self.fields, "site"), [(*row, site) for row in self.rows])
