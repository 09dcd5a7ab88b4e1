"""An e-mail backend whose server refuses some addresses, as a real SMTP server would."""

from __future__ import annotations

import smtplib

from django.core import mail
from django.core.mail.backends.locmem import EmailBackend


class RefusingBackend(EmailBackend):
    """Like the locmem backend, but raises for any address at ``bounce.example``."""

    def send_messages(self, messages):
        for message in messages:
            refused = [a for a in message.to if a.endswith("@bounce.example")]
            if refused:
                raise smtplib.SMTPRecipientsRefused(dict.fromkeys(refused, (550, b"no such user")))
        return super().send_messages(messages)


def outbox():
    return mail.outbox
