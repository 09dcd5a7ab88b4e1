"""``python -m admin_hits.pipe``: Apache's piped access log in, live view counts out.

A supervisor process restarts the worker that does the work: read lines, count them with the
log core (the same ``Aggregator`` as ``manage.py parse_log``), flush the counts to the live
store at least once a second. See docs/realtime.md.
"""
