"""What the report pages show: the scope of a request, the queries, and the report sections.

``scope`` (period, previous period, today's live counts), ``queries`` (rows and daily series,
each a fixed number of queries), ``objects`` (content objects of many rows in bulk) and
``sections`` (the registry of report tables) are used by ``admin_hits.views``.
"""
