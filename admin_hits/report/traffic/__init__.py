"""Status codes, 404s, bots, referrers, campaigns, visits and landing pages."""
