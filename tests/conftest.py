pytest_plugins = ["tests.fixtures.memcached"]
