"""The heartbeats of the pipes that count into the ``db`` live store (see
``admin_hits.live.stores.heartbeats``)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class LivePipe(models.Model):
    """One pipe's heartbeat of a day: who it is, what it counted, when it last wrote."""

    date = models.DateField(_("date"))
    pipe = models.CharField(_("pipe"), max_length=300)  # host:pid:start
    heartbeat = models.TextField(_("heartbeat"))  # JSON, as the caches keep it

    class Meta:
        verbose_name = _("live pipe")
        verbose_name_plural = _("live pipes")
        constraints = [
            models.UniqueConstraint(fields=["date", "pipe"], name="admin_hits_live_pipe_per_day")
        ]

    def __str__(self) -> str:
        return f"{self.pipe} on {self.date}"
