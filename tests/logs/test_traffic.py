"""The further dimensions of the log core: statuses, 404s, referrers, campaigns, visitors,
excluded networks, and the robots.txt rule of ``days_of``."""

from __future__ import annotations

import pickle
from collections import Counter
from datetime import date

from admin_hits.logs import ViewRules, days_of
from admin_hits.logs import counts as dims
from admin_hits.logs.days import ROBOTS_BOT, robots_readers
from tests.logs.cases import NOV28, RULES, aggregator, line

FIREFOX = b"Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0"
CHROME = b"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/131.0 Safari/537.36"


def hit(path: bytes, *, ip: bytes = b"203.0.113.9", status: bytes = b"200",
        referrer: bytes = b"-", agent: bytes = FIREFOX) -> bytes:  # fmt: skip
    tail = b'"' + referrer + b'" "' + agent + b'"'
    return line(b"GET " + path + b" HTTP/1.1", status, host=ip, tail=tail)


def counted(lines: list[bytes], rules: ViewRules = RULES):
    counting = aggregator(rules=rules)
    counting.feed(lines)
    return counting.take()


def test_statuses_count_every_request_of_the_day() -> None:
    lines = [
        hit(b"/a/"),
        hit(b"/a/", status=b"304"),
        hit(b"/static/x.css"),
        hit(b"/x", status=b"404"),
    ]
    lines.append(line(b"POST /form/ HTTP/1.1", b"302"))
    counts = counted(lines)
    assert counts.extra[dims.STATUSES] == Counter(
        {(NOV28, 200): 2, (NOV28, 304): 1, (NOV28, 404): 1, (NOV28, 302): 1}
    )


def test_404s_keep_their_referrer_own_pages_included() -> None:
    lines = [
        hit(b"/gone/", status=b"404", referrer=b"https://www.example.com/links/"),
        hit(b"/gone/", status=b"404", referrer=b"https://other.example/x"),
        hit(b"/gone/", status=b"404", agent=b"curl/8.5.0"),
    ]
    counts = counted(lines, ViewRules(own_hosts=("www.example.com",)))
    assert counts.extra[dims.NOT_FOUND] == Counter({
        (NOV28, "/gone/", "https://www.example.com/links/"): 1,
        (NOV28, "/gone/", "https://other.example/x"): 1,
        (NOV28, "/gone/", ""): 1,
    })  # fmt: skip


def test_referrers_campaigns_and_visitors_of_human_views() -> None:
    rules = ViewRules(own_hosts=(".example.com",))
    lines = [
        hit(b"/a/", referrer=b"https://www.google.com/search?q=Hello+World"),
        hit(b"/a/", referrer=b"https://www.example.com/"),  # own page: no referrer
        hit(b"/a/?utm_source=News&utm_medium=email&utm_campaign=Nov", ip=b"198.51.100.1"),
        hit(b"/a/", ip=b"198.51.100.1", agent=CHROME),  # another visitor: other user agent
        hit(b"/a/", referrer=b"https://t.co/x", agent=b"Twitterbot/1.0"),  # a bot: not counted
    ]
    traffic = days_of(counted(lines, rules))[NOV28]
    assert traffic.views == Counter({"/a/": 4})
    assert traffic.bot_views == Counter({"/a/": 1})
    assert traffic.bots == Counter({"Twitterbot": 1})
    assert len(traffic.visitors["/a/"]) == 3 and traffic.site_visitors() == 3
    assert traffic.referrers == Counter({("/a/", "https://www.google.com/search?q=Hello+World"): 1})
    assert traffic.searches == Counter({("/a/", "Google", "hello world"): 1})
    assert traffic.campaigns == Counter({("/a/", "news", "email", "nov"): 1})


def test_the_keyword_of_a_long_referrer_is_read_before_its_url_is_cut() -> None:
    # Cut to 1,000 characters, the URL ends inside the keyword's "%D0%BF" escapes: the
    # search is read from the whole referrer, in chunks and line by line alike.
    referrer = (
        "https://yandex.ru/search/?lr=213&clid=" + "x" * 950
        + "&text=%D0%BF%D1%80%D0%B8%D0%B2%D0%B5%D1%82+%D0%BC%D0%B8%D1%80"
    )  # fmt: skip
    lines = [hit(b"/a/", referrer=referrer.encode()), hit(b"/a/", ip=b"198.51.100.1")] * 2
    one_by_one = aggregator()
    for each in lines:
        one_by_one._count_line(each)
    in_chunks = counted(lines)
    for counts in (in_chunks, one_by_one.take(), pickle.loads(pickle.dumps(in_chunks))):
        traffic = days_of(counts)[NOV28]
        assert traffic.searches == Counter({("/a/", "Yandex", "привет мир"): 2})
        assert traffic.referrers == Counter({("/a/", referrer[:1000]): 2})
        assert all(type(url) is str for _, url in traffic.referrers)  # plain text for the rows


def test_excluded_networks_count_nowhere_but_in_lines() -> None:
    rules = ViewRules(excluded_networks=("198.51.100.0/24",))
    lines = [hit(b"/a/"), hit(b"/a/", ip=b"198.51.100.7"), hit(b"/b/", ip=b"198.51.100.8")]
    counts = counted(lines, rules)
    assert counts.views == Counter({(NOV28, "/a/"): 1})
    assert counts.ignored == Counter({"client": 2})
    assert (counts.lines, counts.parsed, counts.days[NOV28]) == (3, 3, 3)
    assert counts.extra[dims.STATUSES] == Counter({(NOV28, 200): 1})
    assert aggregator(rules=rules).verdict(lines[1]).reason == "client"


def test_a_client_that_read_robots_txt_is_a_bot_for_the_day() -> None:
    sneaky = b"198.51.100.1"
    lines = [
        hit(b"/a/", ip=sneaky, referrer=b"https://www.bing.com/search?q=x"),
        hit(b"/b/?utm_source=x", ip=sneaky),
        hit(b"/robots.txt", ip=sneaky, status=b"404"),
        hit(b"/a/"),  # someone else, same browser
        hit(b"/a/", ip=sneaky, agent=CHROME),  # same address, another user agent: a person
    ]
    traffic = days_of(counted(lines))[NOV28]
    assert traffic.views == Counter({"/a/": 2})
    assert traffic.bot_views == Counter({"/a/": 1, "/b/": 1})
    assert traffic.bots == Counter({ROBOTS_BOT: 2})
    assert not traffic.referrers and not traffic.searches and not traffic.campaigns
    assert traffic.site_visitors() == 2
    plain = days_of(counted(lines), robots_rule=False)[NOV28]
    assert plain.views == Counter({"/a/": 3, "/b/": 1}) and not plain.bots


def test_the_robots_rule_is_per_day() -> None:
    ip = b"198.51.100.1"
    lines = [
        hit(b"/robots.txt", ip=ip),
        hit(b"/a/", ip=ip, referrer=b"-"),
        line(
            b"GET /a/ HTTP/1.1",
            when=b"29/Nov/2026:10:00:00 +0100",
            host=ip,
            tail=b'"-" "' + FIREFOX + b'"',
        ),  # fmt: skip
    ]
    days = days_of(counted(lines))
    assert days[NOV28].bot_views == Counter({"/a/": 1})
    assert days[date(2026, 11, 29)].views == Counter({"/a/": 1})


def test_formats_without_user_agents_count_everyone_as_people() -> None:
    from zoneinfo import ZoneInfo

    from admin_hits.logs import Aggregator

    counting = Aggregator("common", tz=ZoneInfo("Europe/Berlin"), rules=RULES)
    common = hit(b"/a/").rsplit(b' "-"', 1)[0] + b"\n"
    counting.feed([common, common])
    counts = counting.take()
    assert counts.views == Counter({(NOV28, "/a/"): 2})
    assert dims.BOT_VIEWS not in counts.extra


def test_fed_in_chunks_or_line_by_line_404s_and_robots_txt_count_alike() -> None:
    # The chunk path counts 404s and robots.txt readers in C; one line at a time, Tally does.
    lines = [
        hit(b"/robots.txt", agent=b"Googlebot/2.1"),
        hit(b"/robots.txt", status=b"404", ip=b"198.51.100.7"),  # a site without one
        hit(b"/gone/", status=b"404", referrer=b"https://other.example/x"),
        hit(b"/gone/", status=b"404", referrer=b"https://other.example/x"),
        hit(b"/a/", ip=b"198.51.100.7"),
        hit(b"/a/", ip=b"192.0.2.1"),
    ] * 3
    in_chunks = counted(lines)
    one_by_one = aggregator()
    for each in lines:
        one_by_one._count_line(each)
    by_line = one_by_one.take()
    assert in_chunks == by_line
    assert in_chunks.extra[dims.NOT_FOUND][NOV28, "/robots.txt", ""] == 3
    assert in_chunks.extra[dims.NOT_FOUND][NOV28, "/gone/", "https://other.example/x"] == 6
    assert len(in_chunks.extra[dims.ROBOTS]) == 2  # two clients read it
    traffic = days_of(in_chunks)[NOV28]
    assert traffic.views["/a/"] == 3 and traffic.bots[ROBOTS_BOT] == 3  # 198.51.100.7's views


def test_parts_with_everyones_robots_readers_add_up_to_the_whole() -> None:
    # How ``parse_log --jobs`` works out a day: each process its own lines, with the robots.txt
    # readers of all of them; the parts merged. A reader's request and its views fall into
    # different parts here, and a visitor and a referral are in both.
    sneaky, other = b"198.51.100.1", b"198.51.100.2"
    first = [hit(b"/a/", ip=sneaky), hit(b"/a/", referrer=b"https://www.bing.com/search?q=x"),
             hit(b"/b/?utm_source=mail", ip=other), hit(b"/gone/", status=b"404")]  # fmt: skip
    second = [hit(b"/robots.txt", ip=sneaky), hit(b"/b/", ip=sneaky), hit(b"/a/"),
              hit(b"/a/", referrer=b"https://www.bing.com/search?q=x"), hit(b"/b/", ip=other),
              hit(b"/a/", agent=b"Googlebot/2.1")]  # fmt: skip
    whole = days_of(counted(first + second))[NOV28]
    parts = [counted(first), counted(second)]
    readers = {NOV28: set().union(*(robots_readers(part).get(NOV28, ()) for part in parts))}
    merged, rest = (days_of(part, readers=readers)[NOV28] for part in parts)
    merged.merge(rest)
    assert merged == whole
    assert whole.bot_views["/a/"] == 2 and whole.bots[ROBOTS_BOT] == 2  # sneaky's two views
    assert whole.views == Counter({"/a/": 3, "/b/": 2}) and whole.site_visitors() == 2
    # Without everyone's readers, the first part would count sneaky's view as a person's.
    alone = days_of(parts[0])[NOV28]
    assert alone.views["/a/"] == 2
