"""Today's counts as they happen: the pipe (``python -m admin_hits.pipe``), the live stores it
writes to (memcached, a Django cache, the database) and ``counts``, which reads them back for
the admin. Best-effort by design: the nightly parse recounts every day from the files.
"""
