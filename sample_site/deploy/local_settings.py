"""The sample site's deployment settings: the one file to edit (docs/deploy.md, "The sample
site behind Apache").

Copy it to ``sample_site/sample_site/local_settings.py``. ``settings.py`` reads it last, so
the site (gunicorn), the pipe Apache starts (which does not get your shell's environment) and
cron's ``parse_log`` all read the same store and the same logs.
"""

DEBUG = False
ALLOWED_HOSTS = ["localhost", "127.0.0.1"]  # and your site's name
# python3 -c 'import secrets; print(secrets.token_urlsafe(50))'
SECRET_KEY = "replace-me-with-a-long-random-string-of-your-own-making-0123456789"

# Where the pipe counts today's views and the admin reads them (apt-get install memcached).
ADMIN_HITS_STORE = "memcached://127.0.0.1:11211"
# The daily files Apache's rotatelogs writes (apache-site.conf: SAMPLE_LOGS), for parse_log.
ADMIN_HITS_ACCESS_LOG = "/var/log/apache2/sample_site/%Y/%m/%d/access.log"
