"""People's views per key when the robots.txt readers are known before the day is counted.

``parse_log`` reads the day's files for requests of ``/robots.txt`` first (a search for those
bytes, then the same counting of only the lines that hold them: ``nightly/robots_scan.py``),
so it knows every reader before it counts a view. Then a view need not be remembered with its
visitor until the end of the day (``VisitorViews``: 12 bytes a view, the biggest part of a
day's memory when every client is new): a reader's view is set apart as it is counted
(``taken``, what the robots.txt rule moves to the bots), and the others' visitors go straight
into each key's unique visitors (``unique.Visitors``: exact sets up to ``EXACT_LIMIT``, a
fixed-size sketch past it). What is held then grows with the site's paths, not its visitors.

``ReaderViews`` answers as ``VisitorViews`` does (``readers_views``, ``visitors_of``,
``merge_into``, pickling, ``==``), so ``days.py`` reads either the same way; the figures are
the same (tests/logs/test_reader_views.py counts logs both ways).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from datetime import date
from typing import Any

from admin_hits.logs.unique import Visitors
from admin_hits.logs.visitor_views import Key, VisitorViews, each_view


@dataclass(frozen=True)
class KnownReaders:
    """The visitor keys that asked for robots.txt, per date, and all of them together (one
    test of membership for the many views of people who did not)."""

    by_date: Mapping[date, AbstractSet[int]]
    everyone: frozenset[int]

    @classmethod
    def of(cls, by_date: Mapping[date, AbstractSet[int]]) -> KnownReaders:
        frozen = {day: frozenset(seen) for day, seen in by_date.items() if seen}
        return cls(frozen, frozenset().union(*frozen.values()))

    def read(self, day: date, visitor: int) -> bool:
        return visitor in self.by_date.get(day, ())


class ReaderViews(VisitorViews):
    """Views per key (a tuple, the date first); the views of ``known`` readers per key
    (``taken``); with ``unique``, each key's visitors but the readers (``seen``)."""

    def __init__(self, known: KnownReaders, unique: bool = True) -> None:
        super().__init__()
        self.known = known
        self.unique = unique
        self.taken: Counter[Key] = Counter()
        self.seen: dict[Key, Visitors] = {}

    def add_views(
        self, keys: list[Key], visitors: Iterable[int], times: list[int] | None = None
    ) -> None:
        """One view of ``keys[i]`` by ``visitors[i]`` each (``times[i]`` views, if given)."""
        keys, visitors = each_view(keys, visitors, times)
        self.update(keys)
        pairs: Iterable[tuple[Key, int]] = zip(keys, visitors, strict=True)
        if self.known.everyone:
            pairs = self._people(list(pairs))
        if self.unique:
            block: defaultdict[Key, set[int]] = defaultdict(set)
            for key, visitor in pairs:
                block[key].add(visitor)
            self._add_seen(block.items())

    def add_view(self, key: Key, visitor: int, n: int = 1) -> None:
        self.add_views([key], [visitor], [n])

    def _people(self, pairs: list[tuple[Key, int]]) -> list[tuple[Key, int]]:
        """``pairs`` but the readers' views, which go to ``taken``."""
        everyone, known = self.known.everyone, self.known
        if everyone.isdisjoint([visitor for _, visitor in pairs]):
            return pairs
        people = []
        for key, visitor in pairs:
            if visitor in everyone and known.read(key[0], visitor):
                self.taken[key] += 1
            else:
                people.append((key, visitor))
        return people

    def _add_seen(self, found: Iterable[tuple[Key, set[int] | Visitors]]) -> None:
        seen = self.seen
        for key, visitors in found:
            held = seen.get(key)
            if held is None:
                seen[key] = visitors if isinstance(visitors, Visitors) else Visitors(visitors)
            else:
                held |= visitors

    def merge_into(self, target: Counter[Any] | None) -> ReaderViews:
        """``target`` (``None``, an empty ``Counter`` or ``ReaderViews``) with these views
        added. Its visitor sets may be these ones: these views are not counted into after."""
        if target is None or (not target and not isinstance(target, VisitorViews)):
            mine = ReaderViews(self.known, self.unique)
        elif isinstance(target, ReaderViews):
            mine = target
        else:  # views remembered with their visitors: the readers were not known then
            raise TypeError(f"cannot add views of known readers to {type(target).__name__}")
        if mine is self:
            return mine
        mine.update(self)
        mine.taken.update(self.taken)
        mine._add_seen(self.seen.items())
        return mine

    def readers_views(self, readers: Mapping[date, AbstractSet[int]]) -> Counter[Key]:
        """The readers' views per key: those of the readers known when they were counted
        (``readers``, the ones the day's counts found, are among them)."""
        return Counter(self.taken)

    def visitors_of(self, leave_out: Mapping[date, AbstractSet[int]]) -> dict[Key, Visitors]:
        """Each key's unique visitors but the known readers (``leave_out`` are among them)."""
        return dict(self.seen)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, ReaderViews):
            return NotImplemented
        return (dict(self), self.taken, self.seen) == (dict(other), other.taken, other.seen)

    def __reduce__(self) -> tuple[Any, ...]:
        return _rebuilt, (dict(self), self.known, self.unique, self.taken, self.seen)

    def __repr__(self) -> str:
        return f"ReaderViews({dict(self)!r}, {len(self.taken)} keys of readers)"


def _rebuilt(totals: dict[Key, int], known: KnownReaders, unique: bool, taken: Counter[Key],
             seen: dict[Key, Visitors]) -> ReaderViews:  # fmt: skip
    found = ReaderViews(known, unique)
    dict.update(found, totals)
    found.taken, found.seen = taken, seen
    return found
