"""``manage.py parse_log``: recompute days of hits from the access logs (cron runs it nightly)."""

from __future__ import annotations

import datetime
import gc
import json
import sys
from argparse import ArgumentParser
from collections.abc import Callable
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError
from django.utils import timezone

from admin_hits.conf import settings, view_rules
from admin_hits.exceptions import AdminHitsError
from admin_hits.logs import LineParser, ViewRules
from admin_hits.logs.paused_gc import paused_gc
from admin_hits.management.arguments import iso_date, positive
from admin_hits.models.site_time import site_today
from admin_hits.models.sites import SiteConfig, configured_sites
from admin_hits.nightly import format_hints, launches, period_totals
from admin_hits.nightly.logfiles import check_readable, files_for_day
from admin_hits.nightly.parallel import DetailTables
from admin_hits.nightly.parsing import (
    RunSummary,
    Source,
    Timer,
    dates_in,
    unique_sources,
)
from admin_hits.nightly.resolvers import check_url_rules
from admin_hits.nightly.site_runs import Part, count_part, total_counts, write_parts
from admin_hits.nightly.writing import DayResult, Table


class Command(BaseCommand):
    help = (
        "Count the views of each day in the access logs and store them (the day's rows are "
        "replaced). Without arguments: yesterday, from the file ADMIN_HITS_ACCESS_LOG names."
    )

    def run_from_argv(self, argv: list[str]) -> None:
        super().run_from_argv(argv)
        # Run from the command line (cron), the process ends here. Its interpreter's last
        # collections would walk every object still alive, which costs a tenth of a second
        # and more after a big day; frozen, they are left to the exit. ``call_command`` and
        # other callers that go on do not pass here.
        gc.freeze()

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("files", nargs="*", metavar="FILE", help="log files ('-': stdin)")
        when = parser.add_mutually_exclusive_group()
        when.add_argument("--date", type=iso_date, help="the day to count (default: yesterday)")
        when.add_argument("--since", type=iso_date, help="first day of a backfill")
        parser.add_argument("--until", type=iso_date, help="last day of a backfill (default: "
                            "yesterday)")  # fmt: skip
        parser.add_argument("--format", dest="log_format", help="apachelogs nickname, Apache "
                            "LogFormat string, or 'auto': the format of the first lines "
                            "(default: ADMIN_HITS_LOG_FORMAT)")  # fmt: skip
        parser.add_argument("--jobs", type=positive, default=1, help="worker processes that "
                            "count in parallel (default: 1)")  # fmt: skip
        parser.add_argument("--json", action="store_true", help="print the summary as JSON")
        parser.add_argument("--dry-run", action="store_true", help="count but write nothing")

    def handle(self, *args: Any, **options: Any) -> None:
        days = self.days(options)
        log_format = options["log_format"] or settings.LOG_FORMAT
        self.asked_date = options["date"] is not None
        auto = log_format.strip().lower() == format_hints.AUTO
        try:
            if not auto:
                LineParser(log_format)
            rules = view_rules()
            check_url_rules()
            sources = self.sources(options["files"], days)
            if auto:
                log_format = self.auto_format(sources, options)
        except AdminHitsError as exc:
            raise CommandError(str(exc)) from exc
        # No cyclic garbage collection for the whole run: from the counting to the rows, it
        # makes millions of small objects, none in a cycle. Paused once around all of it, so
        # that no collection walks them all between two steps; when ``run`` returns they are
        # freed, and only then may the collector run again.
        with paused_gc():
            summary = self.run(sources, days, log_format, rules, options)
        self.report(summary, options)

    def auto_format(self, sources: list[Source], options: dict[str, Any]) -> str:
        log_format, said = format_hints.auto_format([s.name for s in sources])
        if options["verbosity"] >= 1 and not options["json"]:  # which one, unless quiet
            self.stdout.write(said)
        return log_format

    def days(self, options: dict[str, Any]) -> list[datetime.date]:
        yesterday = site_today() - datetime.timedelta(days=1)
        if options["until"] and options["since"] is None:
            raise CommandError("--until needs --since")
        if options["date"]:
            return [options["date"]]
        if options["since"] is None:
            return [yesterday]
        until = options["until"] or yesterday
        if until < options["since"]:
            if options["until"]:
                raise CommandError("--until is before --since")
            raise CommandError(f"--since {options['since']} is after yesterday ({yesterday})")
        count = (until - options["since"]).days + 1
        return [options["since"] + datetime.timedelta(days=i) for i in range(count)]

    def sources(self, files: list[str], days: list[datetime.date]) -> list[Source]:
        if files:
            for name in files:
                check_readable(name)
            return unique_sources(Source(name) for name in files)
        pattern = settings.ACCESS_LOG
        if not pattern:
            raise CommandError(
                "No log file given: pass FILE arguments or set ADMIN_HITS_ACCESS_LOG to a "
                "strftime pattern such as '/var/log/apache2/%Y/%m/%d/access.log'."
            )
        sources = []
        for day in days:
            paths = files_for_day(pattern, day)
            if not paths:
                raise CommandError(f"No log file for {day} matches {pattern!r}.")
            for path in paths:
                check_readable(str(path))
                sources.append(Source(str(path)))
        # The files of the days around: logs rotated at midnight of another zone than
        # TIME_ZONE hold the first or last hours of the days asked for (see ``Source``).
        after = days[-1] + datetime.timedelta(days=1)
        before = days[0] - datetime.timedelta(days=1)
        for day, earlier in ((after, False), (before, True)):
            for path in files_for_day(pattern, day):
                if path.exists():
                    sources.append(Source(str(path), neighbour=True, before=earlier))
        return unique_sources(sources)

    def run(
        self,
        sources: list[Source],
        days: list[datetime.date],
        log_format: str,
        rules: ViewRules,
        options: dict,
    ) -> RunSummary:
        timer = Timer()
        progress = self.progress(timer) if self.show_progress(options) else None
        core: dict[str, Any] = {
            "log_format": log_format, "tz": timezone.get_default_timezone(),
            "rules": rules, "max_line_length": settings.MAX_LINE_LENGTH,
        }  # fmt: skip
        parts: list[Part] = []
        no_sites: list[SiteConfig | None] = [None]  # a single-site configuration
        try:
            try:
                # One pass over the files per site (nightly/sites.py); one in all without.
                for site in configured_sites() or no_sites:
                    parts.append(count_part(
                        sources, days, options["jobs"], core, progress, site, self.detail_tables
                    ))  # fmt: skip
            except AdminHitsError as exc:
                raise CommandError(f"{exc}. Nothing was written.") from exc
            finally:
                if progress is not None:
                    sys.stderr.write("\n")
            counts = total_counts(parts)
            self.names = [s.name for s in sources]
            self.check_counts(counts, days, log_format, lambda: dates_in(sources, **core))
            for part in parts:
                part.finish(rules.visit_gap)
            results: list[DayResult] = []
            summaries: list[dict[str, Any]] = []
            for day in days:
                try:
                    result, summary = write_parts(day, parts, dry_run=options["dry_run"])
                except DatabaseError as exc:
                    # Each day is its own transaction: this one is as it was, so are the
                    # days after it; those before it are written.
                    done = f" ({results[0].date} to {results[-1].date} were)" if results else ""
                    raise CommandError(
                        f"Writing {day} failed: {exc}. It and the days after it were not "
                        f"written{done}."
                    ) from exc
                results.append(result)
                summaries.append(summary)
        finally:
            for part in parts:
                part.close()
        if not options["dry_run"]:
            self.refresh_totals(min(days), max(days))
        return RunSummary(
            files=[s.name for s in sources], lines=counts.lines, parsed=counts.parsed,
            skipped=dict(counts.skipped), ignored=dict(counts.ignored),
            views=sum(r.views for r in results), elapsed=timer.elapsed, days=summaries,
        )  # fmt: skip

    @staticmethod
    def detail_tables(details: DetailTables) -> Callable[[datetime.date], list[Table]]:
        """``details`` with a worker's failure as parse_log's error. The worker sends every
        day's tables at once, before the first day is written: nothing is written then."""

        def tables(day: datetime.date) -> list[Table]:
            try:
                return details(day)
            except AdminHitsError as exc:
                raise CommandError(f"{exc}. Nothing was written.") from exc

        return tables

    @staticmethod
    def refresh_totals(first: datetime.date, last: datetime.date) -> None:
        """The report's precomputed totals, once for every day written (a backfill too)."""
        try:
            period_totals.refresh(first, last)
            launches.refresh()
        except DatabaseError as exc:
            raise CommandError(
                f"The days were written, but the report's totals of their periods could not be "
                f"computed again ({exc}); the report sums the days until the next run."
            ) from exc

    def check_counts(
        self, counts: Any, days: list[datetime.date], log_format: str, dates: Any
    ) -> None:
        """Refuse to replace days with nonsense: no lines, the wrong format, the wrong dates,
        a day without a line."""
        if counts.lines == 0:
            raise CommandError("The log files hold no lines. Nothing was written.")
        ratio = counts.parsed / counts.lines
        if counts.parsed == 0 or (counts.lines >= 10 and ratio < settings.MIN_PARSED_RATIO):
            names = getattr(self, "names", [])
            raise CommandError(format_hints.unmatched(counts, log_format, names))
        if counts.parsed and not counts.dates() & set(days) and (found := dates()):
            advice = "Pass --date or --since/--until"
            if getattr(self, "asked_date", False):  # --date names a day the files do not hold
                advice = f"Pass one of those days, or the files of {days[0]}"
            raise CommandError(
                f"No line is dated {days[0]}{' to ' + str(days[-1]) if len(days) > 1 else ''}: "
                f"the files hold {min(found)} to {max(found)}. {advice}. Nothing was written."
            )
        self.check_every_day(counts.dates(), days)

    @staticmethod
    def check_every_day(found: set[datetime.date], days: list[datetime.date]) -> None:
        """Refuse to replace a day that no line is dated: its file is empty or cut short
        (a crash, a full disk), and writing would wipe the day's rows for nothing."""
        missing = [day for day in days if day not in found]
        if missing:
            shown = ", ".join(str(day) for day in missing[:5])
            more = f" and {len(missing) - 5} more days" if len(missing) > 5 else ""
            raise CommandError(
                f"No line is dated {shown}{more}: is a log file empty or cut short? Check the "
                "files, or leave those days out of --since/--until. Nothing was written."
            )

    def show_progress(self, options: dict[str, Any]) -> bool:
        return options["verbosity"] >= 1 and not options["json"] and sys.stderr.isatty()

    @staticmethod
    def progress(timer: Timer) -> Any:
        def show(lines: int) -> None:
            rate = lines / timer.elapsed if timer.elapsed else 0
            sys.stderr.write(f"\r{lines:,} lines read ({rate:,.0f} lines/s)")
            sys.stderr.flush()

        return show

    def report(self, summary: RunSummary, options: dict[str, Any]) -> None:
        data = summary.as_dict()
        if options["json"]:
            self.stdout.write(json.dumps(data, indent=2))
            return
        if options["verbosity"] < 1:
            return
        skipped = ", ".join(f"{k} {v:,}" for k, v in sorted(summary.skipped.items())) or "none"
        ignored = ", ".join(f"{k} {v:,}" for k, v in sorted(summary.ignored.items())) or "none"
        prefix = "Dry run, nothing written. " if options["dry_run"] else ""
        self.stdout.write(
            f"{prefix}Read {summary.lines:,} lines from {len(summary.files)} file(s): "
            f"{summary.parsed:,} parsed; skipped: {skipped}; not views: {ignored}."
        )
        for day in summary.days:
            self.stdout.write(
                f"  {day['date']}: {day['views']:,} views on {day['paths']:,} paths, "
                f"{day['objects']:,} objects matched ({day['matched_views']:,} views)"
            )
            for site, part in day.get("sites", {}).items():  # several sites: each one's
                self.stdout.write(
                    f"    site {site}: {part['views']:,} views on {part['paths']:,} paths, "
                    f"{part['objects']:,} objects"
                )
        self.stdout.write(
            self.style.SUCCESS(
                f"{data['rows']:,} rows {'would be ' if options['dry_run'] else ''}written in "
                f"{summary.elapsed:.1f} s ({data['lines_per_second']:,} lines/s)."
            )
        )
