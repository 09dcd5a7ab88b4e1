"""The pipe-process fixtures, shared with the realtime tests."""

from tests.live.pipe.conftest import start_pipe  # noqa: F401
