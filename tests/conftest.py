pytest_plugins = ["tests.fixtures.memcached", "tests.fixtures.redis"]
