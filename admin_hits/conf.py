"""Every ``ADMIN_HITS_*`` setting, typed, with its default, read on access.

Reading on access (not at import) keeps ``override_settings`` working in tests. Values are
validated by ``admin_hits.checks``, never here, so a bad setting is reported by ``manage.py
check`` instead of crashing an import.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings as django_settings

from admin_hits.logs.bots import BotClassifier
from admin_hits.logs.rules import DEFAULT_ASSET_EXTENSIONS, DEFAULT_DOWNLOAD_EXTENSIONS, ViewRules
from admin_hits.logs.tally import classifier


class Settings:
    """Typed access to the ``ADMIN_HITS_*`` settings; ``conf.settings`` is the one instance."""

    def _get(self, name: str, default: Any) -> Any:
        return getattr(django_settings, f"ADMIN_HITS_{name}", default)

    @property
    def ACCESS_LOG(self) -> str | list[str] | None:
        """strftime pattern of the daily access log, e.g. ``/var/log/apache2/%Y/%m/%d/access.log``.

        Several web servers: a list of patterns, or a ``{host}`` placeholder (or any glob)
        matching each server's folder, e.g. ``/logs/{host}/%Y/%m/%d/access.log``.
        """
        value: str | list[str] | None = self._get("ACCESS_LOG", None)
        return value

    @property
    def LOG_FORMAT(self) -> str:
        """An apachelogs nickname (``combined``, ``common``, ...), an Apache LogFormat string,
        or ``"auto"``: ``parse_log`` reads it from the files' first lines (the pipe can not)."""
        return str(self._get("LOG_FORMAT", "combined"))

    @property
    def STORE(self) -> str:
        """Live store URL: ``db``, ``memcached://host:port[,host:port]``, ``django-cache://alias``."""
        value: str = self._get("STORE", "db")
        return value

    @property
    def KEY_PREFIX(self) -> str:
        """Namespace of the live store's keys, so several sites can share one memcached."""
        value: str = self._get("KEY_PREFIX", "hits")
        return value

    @property
    def STORE_TIMEOUT(self) -> float:
        """Seconds a live-store operation may take before it is given up (the admin stays up)."""
        return float(self._get("STORE_TIMEOUT", 0.5))

    @property
    def LIVE_EXPIRY(self) -> int:
        """Seconds a day's live counters live in memcached or a cache, from the day's first view
        (long enough for the nightly parse; under 30 days, which memcached reads as a date)."""
        return int(self._get("LIVE_EXPIRY", 48 * 3600))

    @property
    def MODELS(self) -> list[str]:
        """``app_label.Model`` names whose existing admins get the hits inline and columns."""
        return list(self._get("MODELS", []))

    @property
    def URLS(self) -> dict[str, Any]:
        """Objects behind non-DetailView URL names, by URL name (``"app:name"``).

        ``{"model": "app.Model", "fields": {"url_kwarg": "model_field"}}``, or the dotted path
        of a finder callable taking the URL kwargs and returning the object or None.
        """
        return dict(self._get("URLS", {}))

    @property
    def EXCLUDE_PATHS(self) -> list[str]:
        """Paths never counted, added to STATIC_URL and MEDIA_URL: prefixes (``/admin/``),
        globs matched against the whole path (``*/feed/``, ``*`` crossing ``/``) or regexes
        matched from its start (starting with ``^``)."""
        return list(self._get("EXCLUDE_PATHS", []))

    @property
    def EXCLUDE_IPS(self) -> list[str]:
        """Client addresses or CIDR networks whose requests are not counted at all (the
        office, uptime monitors), e.g. ``["192.0.2.0/24", "2001:db8::/32"]``."""
        return list(self._get("EXCLUDE_IPS", []))

    @property
    def METHODS(self) -> list[str]:
        """HTTP methods whose successful requests are views."""
        return list(self._get("METHODS", ["GET"]))

    @property
    def EXCLUDE_STATUSES(self) -> list[int]:
        """Successful statuses that are not views all the same, e.g. ``[204, 206]``."""
        return [int(s) for s in self._get("EXCLUDE_STATUSES", [])]

    @property
    def BOT_PATTERNS(self) -> list[str]:
        """Regexes (case-insensitive) of user agents that are bots, beyond the bot list."""
        return list(self._get("BOT_PATTERNS", []))

    @property
    def HUMAN_PATTERNS(self) -> list[str]:
        """Regexes (case-insensitive) of user agents that are people whatever the bot list
        and ``ADMIN_HITS_BOT_PATTERNS`` say (they win)."""
        return list(self._get("HUMAN_PATTERNS", []))

    @property
    def OWN_HOSTS(self) -> list[str] | None:
        """The site's own host names, whose pages are no referrers (``.example.com``: the
        domain and its subdomains). ``None``: ``ALLOWED_HOSTS`` without wildcards."""
        value = self._get("OWN_HOSTS", None)
        return None if value is None else list(value)

    @property
    def GEOIP_DATABASE(self) -> str:
        """Path of a MaxMind-format country database (GeoLite2, DB-IP Lite) for the audience's
        countries; "" (the default): the registry country of ``iptocc``, built in."""
        return str(self._get("GEOIP_DATABASE", "") or "")

    @property
    def SITES(self) -> dict[str, Any]:
        """Host name -> site id, or -> ``{"site": id, "urlconf": ...}`` (``models/sites.py``)."""
        return self._get("SITES", {}) or {}  # as given: admin_hits.E011 checks it

    @property
    def REFERRER_SPAM(self) -> list[str]:
        """Host names of referrer spam beyond the shipped list (matched within the referrer's
        host, as Matomo's list is): their views count as bot views."""
        return list(self._get("REFERRER_SPAM", []))

    @property
    def RETENTION_DAYS(self) -> int | None:
        """Days of detail rows (paths, referrers, keywords, campaigns, statuses, 404s, bots)
        that ``manage.py hits_prune`` keeps; ``None`` keeps them forever."""
        value = self._get("RETENTION_DAYS", 400)
        return None if value is None else int(value)

    @property
    def ASSET_EXTENSIONS(self) -> tuple[str, ...]:
        """File extensions of assets that are never page views."""
        return tuple(self._get("ASSET_EXTENSIONS", DEFAULT_ASSET_EXTENSIONS))

    @property
    def INLINE_DAYS(self) -> int:
        """How many recent days the admin inline shows before linking to the full list."""
        return int(self._get("INLINE_DAYS", 14))

    @property
    def EXPORT_PERMISSION(self) -> str:
        """Permission (``app_label.codename``) that CSV exports need, besides viewing hits.

        The default is django-import-export's convention for
        ``IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "export"``; ``"admin_hits.view_hits"`` lets
        everyone who may view the report export it.
        """
        return str(self._get("EXPORT_PERMISSION", "admin_hits.export_hits"))

    @property
    def SITE_URL(self) -> str:
        """The site's address for links in e-mails (``https://www.example.com``); empty: the
        first of ``own_hosts()`` over https, or no link when there is none."""
        return str(self._get("SITE_URL", "")).rstrip("/")

    @property
    def ALERT_RATIO(self) -> float:
        """``hits_alerts`` writes when an object's views so far today reach this many times its
        usual views by this hour."""
        return float(self._get("ALERT_RATIO", 3))

    @property
    def ALERT_MIN_VIEWS(self) -> int:
        """... and only with at least this many views today (so that 2 -> 7 is no alert)."""
        return int(self._get("ALERT_MIN_VIEWS", 100))

    @property
    def API_TOKENS(self) -> dict[str, str]:
        """``{sha256 of a token: username}``: tokens scripts send as ``Authorization: Bearer``
        to read the report as JSON with that user's permissions (``manage.py hits_api_token``)."""
        return dict(self._get("API_TOKENS", {}))

    @property
    def OBJECT_SCOPE(self) -> str:
        """Dotted path to ``(user, model, queryset) -> queryset`` narrowing the objects a user
        sees figures for (per-owner scope); empty: every object of the models they may view."""
        return str(self._get("OBJECT_SCOPE", "") or "")

    @property
    def PUBLISHED_FIELDS(self) -> dict[str, str]:
        """``{"app_label.Model": "field"}``: the date field that says when an object was
        published; without it, a conventionally named date field, else the first admin log
        addition."""
        return dict(self._get("PUBLISHED_FIELDS", {}))

    @property
    def TRENDING_MIN_VIEWS(self) -> int:
        """Views in the last 7 days an object needs to be "Trending" besides doubling its
        average week (so that 1 view a week becoming 3 is not a trend)."""
        return int(self._get("TRENDING_MIN_VIEWS", 20))

    @property
    def STALE_DAYS(self) -> int:
        """Days without a human view after which a published object is "stale content"."""
        return int(self._get("STALE_DAYS", 30))

    @property
    def LIVE_INTERVAL(self) -> float:
        """Seconds between two refreshes of the live figures on the report pages."""
        return float(self._get("LIVE_INTERVAL", 5))

    @property
    def MAX_LINE_LENGTH(self) -> int:
        """Longer log lines are skipped (counted as ``too_long``)."""
        return int(self._get("MAX_LINE_LENGTH", 16384))

    @property
    def MIN_PARSED_RATIO(self) -> float:
        """Below this share of parsed lines, parse_log calls the format wrong and fails."""
        return float(self._get("MIN_PARSED_RATIO", 0.5))

    @property
    def DOWNLOAD_EXTENSIONS(self) -> tuple[str, ...]:
        """File extensions whose requests are downloads (besides every file under MEDIA_URL)."""
        return tuple(self._get("DOWNLOAD_EXTENSIONS", DEFAULT_DOWNLOAD_EXTENSIONS))

    @property
    def VISIT_GAP(self) -> int:
        """Minutes a visitor may be away before their next view starts a new visit."""
        return self._get("VISIT_GAP", 30)  # checked by ViewRules (admin_hits.E006)


settings = Settings()


def view_rules() -> ViewRules:
    """The log core's view rules from the settings, shared by ``parse_log`` and the pipe.

    STATIC_URL, MEDIA_URL (when they are paths, not other hosts) and ``ADMIN_HITS_EXCLUDE_PATHS``
    are excluded: prefixes, globs matched against the whole path and ``^`` regexes
    (``rules.path_pattern``). ``/`` is put before an entry that lacks it (``admin/``), but not
    before a regex or a glob that starts with a wildcard (``*/feed/`` is ``/feed/`` too);
    ``ADMIN_HITS_ASSET_EXTENSIONS`` are assets; the other ``ADMIN_HITS_*`` rules (methods,
    statuses, networks, bot and human patterns, own hosts) go along. Reads settings only (no
    app registry), so the pipe can call it without ``django.setup()``.
    """
    glob = ("*", "?", "[")  # what makes an entry a glob (fnmatch's wildcards)
    given: list[str | None] = [
        getattr(django_settings, "STATIC_URL", None),
        getattr(django_settings, "MEDIA_URL", None),
        *settings.EXCLUDE_PATHS,
    ]
    entries = [
        p if p.startswith(("^", *glob)) else "/" + p.lstrip("/")
        for p in given
        if p and not p.startswith("http")
    ]
    # An unset MEDIA_URL ("") reads as "/" (Django adds the script prefix): that excludes
    # nothing on purpose, so "/" never excludes everything.
    entries = [p for p in entries if p != "/"]
    patterns = [p for p in entries if p.startswith("^") or any(c in p for c in glob)]
    return ViewRules(
        excluded_prefixes=tuple(p for p in entries if p not in patterns),
        asset_extensions=settings.ASSET_EXTENSIONS,
        methods=frozenset(settings.METHODS),
        excluded_patterns=tuple(patterns),
        excluded_statuses=frozenset(settings.EXCLUDE_STATUSES),
        excluded_networks=tuple(settings.EXCLUDE_IPS),
        bot_patterns=tuple(settings.BOT_PATTERNS),
        human_patterns=tuple(settings.HUMAN_PATTERNS),
        own_hosts=tuple(own_hosts()),
        visit_gap=settings.VISIT_GAP,
        download_extensions=settings.DOWNLOAD_EXTENSIONS,
        download_prefixes=tuple(p for p in [media_path()] if p),
        geoip_database=settings.GEOIP_DATABASE,
        referrer_spam=tuple(settings.REFERRER_SPAM),
    )


def media_path() -> str | None:
    """MEDIA_URL when it is a path of this site (``/media/``), else ``None``: every file
    under it is a download."""
    media = getattr(django_settings, "MEDIA_URL", None)
    if not media or media.startswith(("http:", "https:", "//")):
        return None
    path = "/" + media.lstrip("/")
    return path if path != "/" else None


def own_hosts() -> list[str]:
    """``ADMIN_HITS_OWN_HOSTS``, or ``ALLOWED_HOSTS`` without wildcards (``*``) and with their
    ports and trailing dots cut."""
    hosts = settings.OWN_HOSTS
    if hosts is None:
        hosts = list(getattr(django_settings, "ALLOWED_HOSTS", []))
    return [h.lower().rsplit(":", 1)[0] if "]" not in h else h.lower()
            for h in hosts if h and "*" not in h]  # fmt: skip


def bot_classifier() -> BotClassifier:
    """The classifier ``parse_log`` and the pipe use: ``ADMIN_HITS_BOT_PATTERNS`` and
    ``ADMIN_HITS_HUMAN_PATTERNS`` added to the bot list (read on each call, cached per value)."""
    if not django_settings.configured:
        return classifier((), ())
    return classifier(tuple(settings.BOT_PATTERNS), tuple(settings.HUMAN_PATTERNS))


def is_bot(user_agent: str) -> bool:
    """Whether ``user_agent`` (a ``User-Agent`` header) is a bot's: crawlers, AI crawlers,
    scripts and HTTP libraries, monitors, and no user agent at all."""
    return bot_classifier().is_bot(user_agent or "")


def bot_name(user_agent: str) -> str | None:
    """The bot's name (``Googlebot``, ``GPTBot``, ``curl``), or ``None`` for a person."""
    return bot_classifier().name(user_agent or "")
