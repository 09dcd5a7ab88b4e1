"""The nightly parse: log files in, a day's rows out (``manage.py parse_log``).

``logfiles`` finds and opens the files, ``parsing`` reads them through the log core (in
``parallel`` workers with ``--jobs``), ``resolvers`` turns paths into objects, ``rollups`` and
``writing`` build and replace a day's rows in one transaction, and ``period_totals`` refreshes
the report's precomputed periods. Nothing here reads the live store: the files are the truth.
"""
