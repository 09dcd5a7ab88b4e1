"""``python -m admin_hits.pipe``: the entry point Apache's ``CustomLog`` line names.

The pipe itself lives in ``admin_hits.live.pipe``; this package only keeps the documented
command stable, so a deployed Apache configuration never has to change with the layout.
"""
