"""Traffic that comes to people: who wants which e-mails, and what was sent already.

The delivery records make ``hits_digest`` and ``hits_alerts`` idempotent: a cron run repeated or
retried finds the record and sends nothing twice. Recipients are e-mail addresses, not users, so
that ``--to`` addresses and renamed users are handled alike.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class MailPreference(models.Model):
    """One staff user's choice of traffic e-mails (editable in the admin)."""

    NONE = ""
    DAILY = "day"
    WEEKLY = "week"
    MONTHLY = "month"
    DIGEST_CHOICES = [
        (NONE, _("none")),
        (DAILY, _("daily")),
        (WEEKLY, _("weekly")),
        (MONTHLY, _("monthly")),
    ]

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="admin_hits_mail",
        verbose_name=_("user"),
    )
    digest = models.CharField(
        _("traffic digest"),
        max_length=5,
        blank=True,
        choices=DIGEST_CHOICES,
        default=NONE,
        help_text=_("The traffic summary by e-mail after each day, week or month."),
    )
    spike_alerts = models.BooleanField(
        _("spike alerts"),
        default=False,
        help_text=_("An e-mail when an object gets far more views today than usual."),
    )
    # One site of ``ADMIN_HITS_SITES`` (``models.sites``); None: every site's figures.
    site = models.PositiveSmallIntegerField(
        _("site"),
        null=True,
        blank=True,
        help_text=_("The figures of this site only; empty: of all sites."),
    )

    class Meta:
        verbose_name = _("traffic e-mail")
        verbose_name_plural = _("traffic e-mails")

    def __str__(self) -> str:
        return str(self.user)


class DigestDelivery(models.Model):
    """A digest sent: one per recipient, kind of period and period."""

    recipient = models.CharField(_("recipient"), max_length=254)
    period = models.CharField(_("period"), max_length=5)
    start = models.DateField(_("first day"))
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        verbose_name = _("digest sent")
        verbose_name_plural = _("digests sent")
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "period", "start"], name="admin_hits_digest_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.recipient}: {self.period} from {self.start}"


class AlertDelivery(models.Model):
    """A spike alert sent: one per recipient, object and day."""

    recipient = models.CharField(_("recipient"), max_length=254)
    content_type = models.ForeignKey("contenttypes.ContentType", on_delete=models.CASCADE)
    object_id = models.CharField(max_length=64)
    date = models.DateField(_("date"))
    views = models.PositiveIntegerField(_("views"), default=0)
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        verbose_name = _("spike alert sent")
        verbose_name_plural = _("spike alerts sent")
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "content_type", "object_id", "date"],
                name="admin_hits_alert_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.recipient}: {self.content_type_id}/{self.object_id} on {self.date}"
