"""The pipe-process fixtures, shared with the realtime tests, and a parsed day to spoil."""

from tests.live.pipe.conftest import start_pipe  # noqa: F401
from tests.management.test_parse_log_faults import article, parsed_day  # noqa: F401
