"""What the demo's visitors look like: user agents, referrers, probes, the shape of a day."""

from __future__ import annotations

# Share of a day's visits starting in each hour (local time): quiet nights, a morning peak,
# a lunch dip and an evening on the sofa.
HOUR_WEIGHTS = (
    2, 1, 1, 1, 1, 2, 4, 7, 10, 12, 12, 11, 9, 10, 11, 11, 10, 9, 9, 10, 11, 9, 6, 3,
)  # fmt: skip

BROWSERS = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/18.1 Safari/605.1.15",
    "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Mobile Safari/537.36",
    "Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) "
    "SamsungBrowser/26.0 Chrome/122.0.0.0 Mobile Safari/537.36",
)

# (user agent, IP prefix or "" for any address, share of bot visits)
BOTS = (
    ("Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)", "66.249.66.", 30),
    ("Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; Googlebot/2.1; "
     "+http://www.google.com/bot.html) Chrome/131.0.6778.69 Safari/537.36", "66.249.70.", 15),
    ("Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)", "40.77.167.", 15),
    ("Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; GPTBot/1.2; "
     "+https://openai.com/gptbot)", "20.171.207.", 12),
    ("Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)", "54.36.148.", 8),
    ("curl/8.5.0", "", 10),
    ("-", "", 10),
)  # fmt: skip

SEARCH_ENGINES = (
    "https://www.google.com/search?q={q}",
    "https://www.google.de/search?q={q}&hl=de",
    "https://www.bing.com/search?q={q}&form=QBLH",
    "https://duckduckgo.com/?q={q}&ia=web",
    "https://www.ecosia.org/search?method=index&q={q}",
)
SEARCH_ENGINE_WEIGHTS = (55, 20, 12, 9, 4)

OTHER_REFERRERS = (
    "https://news.ycombinator.com/",
    "https://www.linkedin.com/",
    "https://t.co/9xKq2LmP0a",
    "https://www.reddit.com/r/europe/",
    "https://www.facebook.com/",
    "https://www.heise.de/newsticker/",
    "android-app://com.google.android.gm/",
)

# (query string, referrer) of campaign links
TRACKING = (
    ("utm_source=newsletter&utm_medium=email&utm_campaign=weekly", "-"),
    ("utm_source=linkedin&utm_medium=social&utm_campaign=launch", "https://www.linkedin.com/"),
    ("utm_source=twitter&utm_medium=social", "https://t.co/4hZr8QpX1b"),
    ("fbclid=IwAR2hX0d3sVqL8kK1mN5pQ7rT9uW0yZ", "https://www.facebook.com/"),
    ("ref=producthunt", "https://www.producthunt.com/"),
)

# (path, size in bytes) loaded by every page, and the favicon browsers ask for on their own
ASSETS = (
    ("/static/press/site.css", 1874),
    ("/static/press/logo.svg", 612),
    ("/favicon.ico", 179),
)

PROBES = (
    ("GET", "/wp-login.php"),
    ("GET", "/wp-admin/setup-config.php"),
    ("POST", "/xmlrpc.php"),
    ("GET", "/.env"),
    ("GET", "/.git/config"),
    ("GET", "/phpmyadmin/index.php"),
    ("GET", "/cgi-bin/luci/;stok=/locale"),
    ("GET", "/vendor/phpunit/phpunit/src/Util/PHP/eval-stdin.php"),
)

STOP_WORDS = frozenset(
    {"a", "all", "an", "and", "as", "at", "by", "for", "from", "half", "in", "its", "new", "of",
     "on", "one", "our", "the", "to", "two", "with"}
)  # fmt: skip
