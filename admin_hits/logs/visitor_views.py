"""People's views per key and visitor, in a few bytes a view rather than a counter key each.

The robots.txt rule (``days.py``: a client that read robots.txt is a bot for the whole day)
needs, at the end of the day, the views of each reader: so people's views can not be summed
without the visitor while the day is read. Keyed per (date, path, visitor) (``VISITS``) and
per (date, path, visitor, hour, class, country) (``AUDIENCE``), ``Counter``s held an entry per
human view when every client is new: 150 to 200 bytes each (a tuple, its visitor key, a dict
slot), the biggest part of a day's memory.

``VisitorViews`` is a ``Counter`` of every person's views per key without the visitor ((date,
path) for ``VISITS``; (date, path, local hour, ``AgentClass``, country) for ``AUDIENCE``),
robots.txt readers included, which stays as small as the site however many visitors come.
Beside it, in two arrays of machine integers, each view's visitor key (8 bytes) and the
number of its key in that counter (4 bytes): what ``readers_views`` reads to take the
readers' views off at the end, and ``visitors_of`` to tell unique visitors (``unique.py``).
It merges (``merge_into``), pickles and compares like the counters of ``Counts``.
"""

from __future__ import annotations

from array import array
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from collections.abc import Set as AbstractSet
from datetime import date
from itertools import chain, compress, repeat
from typing import Any

from admin_hits.logs.unique import Visitors

# A key: a tuple whose first item is the date.
Key = tuple[Any, ...]
_BLOCK = 1 << 16  # views read at a time for unique visitors


class VisitorViews(Counter[Key]):
    """Views per key (a tuple, the date first), and who made each (``visitors``, with the
    number of the view's key in ``keys_seen``: ``which``)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.keys_seen: list[Key] = []  # by number
        self.numbers: dict[Key, int] = {}
        self.visitors = array("q")
        self.which = array("i")

    def add_views(
        self, keys: list[Key], visitors: Iterable[int], times: list[int] | None = None
    ) -> None:
        """One view of ``keys[i]`` by ``visitors[i]`` each (``times[i]`` views, if given)."""
        keys, visitors = each_view(keys, visitors, times)
        self.update(keys)
        numbers = self.numbers
        for key in set(keys).difference(numbers):
            self._number(key)
        self.visitors.extend(visitors)
        self.which.extend(map(numbers.__getitem__, keys))

    def add_view(self, key: Key, visitor: int, n: int = 1) -> None:
        self[key] += n
        number = self.numbers.get(key)
        if number is None:
            number = self._number(key)
        self.visitors.extend(repeat(visitor, n))
        self.which.extend(repeat(number, n))

    def _number(self, key: Key) -> int:
        number = self.numbers[key] = len(self.keys_seen)
        self.keys_seen.append(key)
        return number

    def merge_into(self, target: Counter[Any] | None) -> VisitorViews:
        """``target`` (``None``, an empty ``Counter`` or ``VisitorViews``) with these views
        added: what ``Counts.merge`` keeps."""
        if target is None or (not target and not isinstance(target, VisitorViews)):
            mine = VisitorViews()
        elif isinstance(target, VisitorViews):
            mine = target
        else:  # a plain counter of the old keys cannot be: there is none
            raise TypeError(f"cannot add audience views to {type(target).__name__}")
        if mine is self:
            return mine
        mine.update(self)
        known = mine.numbers
        numbers = [known[key] if key in known else mine._number(key) for key in self.keys_seen]
        mine.visitors.extend(self.visitors)
        mine.which.extend(map(numbers.__getitem__, self.which))
        return mine

    def readers_views(self, readers: Mapping[date, AbstractSet[int]]) -> Counter[Key]:
        """The views, per key, of the visitors in ``readers`` (per date): what the robots.txt
        rule takes off. A pass in C over the views, a Python step per reader's view."""
        taken: Counter[Key] = Counter()
        everyone = set().union(*readers.values()) if readers else set()
        if not everyone or not self.visitors:
            return taken
        hits = list(map(everyone.__contains__, self.visitors))
        if not any(hits):
            return taken
        keys = self.keys_seen
        for visitor, number in compress(zip(self.visitors, self.which, strict=True), hits):
            key = keys[number]
            if visitor in readers.get(key[0], ()):
                taken[key] += 1
        return taken

    def visitors_of(self, leave_out: Mapping[date, AbstractSet[int]]) -> dict[Key, Visitors]:
        """The unique visitors of each key's views, but those in ``leave_out`` (per date):
        exact sets up to ``unique.EXACT_LIMIT``, sketches past it. Read a block of views at a
        time, so that no set grows far past the limit."""
        keys = self.keys_seen
        everyone = set().union(*leave_out.values()) if leave_out else set()
        if not everyone.intersection(self.visitors):
            everyone = set()
        found: dict[int, Visitors] = {}
        for start in range(0, len(self.visitors), _BLOCK):
            block: defaultdict[int, set[int]] = defaultdict(set)
            pairs = zip(self.visitors[start : start + _BLOCK], self.which[start : start + _BLOCK],
                        strict=True)  # fmt: skip
            if not everyone:
                for visitor, number in pairs:
                    block[number].add(visitor)
            else:
                for visitor, number in pairs:
                    if visitor not in everyone or visitor not in leave_out.get(keys[number][0], ()):
                        block[number].add(visitor)
            for number, seen in block.items():
                held = found.get(number)
                if held is None:
                    found[number] = Visitors(seen)
                else:
                    held |= seen
        return {keys[number]: seen for number, seen in found.items()}

    def views_by_visitor(self) -> Counter[tuple[Any, ...]]:
        """(visitor, key): views; what two of these hold the same of (for ``==``)."""
        keys = self.keys_seen
        return Counter(zip(self.visitors, map(keys.__getitem__, self.which), strict=True))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, VisitorViews):
            return NotImplemented
        return dict(self) == dict(other) and self.views_by_visitor() == other.views_by_visitor()

    def __ne__(self, other: object) -> bool:
        equal = self.__eq__(other)
        return equal if equal is NotImplemented else not equal

    __hash__ = None  # type: ignore[assignment]  # mutable, as a Counter

    def __reduce__(self) -> tuple[Any, ...]:
        return _rebuilt, (dict(self), self.keys_seen, self.visitors, self.which)

    def __repr__(self) -> str:
        return f"VisitorViews({dict(self)!r}, {len(self.visitors)} views)"


def each_view(
    keys: list[Key], visitors: Iterable[int], times: list[int] | None
) -> tuple[list[Key], Iterable[int]]:
    """``keys`` and ``visitors`` with each one repeated ``times[i]`` times, when given."""
    if times is None or all(n == 1 for n in times):
        return keys, visitors
    return (list(chain.from_iterable(map(repeat, keys, times))),
            chain.from_iterable(map(repeat, visitors, times)))  # fmt: skip


def _rebuilt(totals: dict[Key, int], keys: list[Key], visitors: array[int],
             which: array[int]) -> VisitorViews:  # fmt: skip
    found = VisitorViews()
    dict.update(found, totals)
    found.keys_seen = keys
    found.numbers = {key: i for i, key in enumerate(keys)}
    found.visitors, found.which = visitors, which
    return found
