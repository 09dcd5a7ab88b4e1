"""The suite talks to the servers it started, never to a PostgreSQL or Redis that happens to run."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.core.cache import caches
from django.db import connection

from tests.fixtures.postgres import DATA_DIR_ENV
from tests.fixtures.redis import RedisServer


@pytest.mark.skipif(
    DATA_DIR_ENV not in os.environ, reason="run without -p tests.fixtures.postgres (SQLite)"
)
@pytest.mark.django_db
def test_the_database_is_the_throwaway_postgresql_server() -> None:
    assert connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('data_directory'), inet_server_port()")
        data_directory, port = cursor.fetchone()
    # The server answering is the one whose cluster the run created, in a temporary folder.
    assert Path(data_directory) == Path(os.environ[DATA_DIR_ENV])
    assert port == int(connection.settings_dict["PORT"]) != 5432


@pytest.mark.services
def test_the_redis_cache_is_the_throwaway_redis_server(redis: RedisServer) -> None:
    client = caches["redis"]._cache.get_client(write=False)
    info = client.info("server")
    assert info["tcp_port"] == redis.port != 6379
    assert redis.process is not None and info["process_id"] == redis.process.pid


def test_without_the_fixture_there_is_no_redis_cache() -> None:
    # tests.settings only defines the cache when the fixture sets REDIS_URL.
    assert "REDIS_URL" not in os.environ
    with pytest.raises(Exception, match="redis"):
        caches["redis"]
