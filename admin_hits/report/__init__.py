"""The traffic report: what its pages show, and the pages themselves.

``scope`` (period, previous period, today's live counts), ``queries``, ``traffic`` and
``stored`` (rows and daily series, each a fixed number of queries), ``objects`` (content objects
of many rows in bulk), ``sections`` (the registry of report tables), ``tables`` and
``traffic_tables`` (django-tables2), ``charts`` (server-side SVG), ``formatting`` and
``csv_cells``; the pages are in ``views`` and mounted by ``urls``.
"""
