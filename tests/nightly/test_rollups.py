"""``rollups.path_and_object_rows``: an object's row sums all its paths, and leaves the
day's per-path counts as they were."""

from __future__ import annotations

import datetime
from collections import Counter

from admin_hits.logs.days import DayTraffic
from admin_hits.nightly.resolvers import ObjectRef
from admin_hits.nightly.rollups import PathHashes, path_and_object_rows

DAY = datetime.date(2026, 11, 28)


def test_an_object_row_unites_the_visitors_of_all_its_paths() -> None:
    traffic = DayTraffic(views=Counter({"/a/": 2, "/a/print/": 1, "/a/amp/": 2, "/b/": 1}),
                         bot_views=Counter({"/a/amp/": 3, "/bots-only/": 1}))  # fmt: skip
    traffic.visitors.update({"/a/": {1, 2}, "/a/print/": {2}, "/a/amp/": {3, 4}, "/b/": {5}})
    article, other = ObjectRef(7, "1"), ObjectRef(7, "2")
    refs = {"/a/": article, "/a/print/": article, "/a/amp/": article, "/b/": other}
    paths, hits = path_and_object_rows(DAY, traffic, refs, PathHashes())
    assert hits.rows == [(DAY, 5, 3, 4, 7, "1"), (DAY, 1, 0, 1, 7, "2")]
    assert {row[1]: row[3:6] for row in paths.rows} == {
        "/a/": (2, 0, 2), "/a/amp/": (2, 3, 2), "/a/print/": (1, 0, 1), "/b/": (1, 0, 1),
        "/bots-only/": (0, 1, 0),
    }  # fmt: skip
    # The day's own sets are not the ones united into the object's.
    assert traffic.visitors == {"/a/": {1, 2}, "/a/print/": {2}, "/a/amp/": {3, 4}, "/b/": {5}}
