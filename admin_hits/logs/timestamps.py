"""Apache ``%t`` timestamps (``[17/May/2015:10:05:03 +0000]``) as aware datetimes and dates.

Apache always writes English month abbreviations, whatever the server's locale, so no
``strptime`` (which follows the locale).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone, tzinfo

MONTHS: dict[bytes, int] = {
    name: number
    for number, name in enumerate(
        (b"Jan", b"Feb", b"Mar", b"Apr", b"May", b"Jun", b"Jul", b"Aug", b"Sep", b"Oct", b"Nov",
         b"Dec"),
        start=1,
    )
}  # fmt: skip


def zone_of(zone: bytes) -> timezone | None:
    """The fixed offset of ``+0530``-style text, or ``None`` when it is impossible."""
    hours, minutes = int(zone[1:3]), int(zone[3:5])
    if minutes > 59 or hours > 23:
        return None
    offset = timedelta(hours=hours, minutes=minutes)
    return timezone(-offset if zone[:1] == b"-" else offset)


def clf_datetime(minute: bytes, second: int, zone: bytes) -> datetime | None:
    """The aware datetime of ``minute`` (``dd/Mon/yyyy:HH:MM``), ``second`` and ``zone``, or
    ``None`` when it does not exist (month ``Foo``, February 30, year 0, hour 24 ...)."""
    month = MONTHS.get(minute[3:6])
    try:
        offset = zone_of(zone)
        if month is None or offset is None:
            return None
        return datetime(
            int(minute[7:11]), month, int(minute[:2]), int(minute[12:14]), int(minute[15:17]),
            min(second, 59), tzinfo=offset,
        )  # fmt: skip
    except ValueError:
        return None


def local_date(minute: bytes, zone: bytes, tz: tzinfo) -> date | None:
    """The date in ``tz`` of the minute ``minute`` logged with offset ``zone``.

    The seconds never change the date: every offset in use is a whole number of minutes.
    """
    when = clf_datetime(minute, 0, zone)
    if when is None:
        return None
    try:
        return when.astimezone(tz).date()
    except (OverflowError, ValueError):  # 01/Jan/0001 east of UTC has no date in tz
        return None
