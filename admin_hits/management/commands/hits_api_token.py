"""``manage.py hits_api_token USERNAME``: a new API token for scripts reading the report."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from admin_hits.report.views.access import can_view
from admin_hits.report.views.tokens import new_token


class Command(BaseCommand):
    help = (
        "Make an API token that reads the traffic report as JSON with USERNAME's permissions. "
        "The token is printed once; settings keep only its hash."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("username", help="the staff user whose permissions the token gets")

    def handle(self, *args: Any, **options: Any) -> None:
        model = get_user_model()
        user = model._default_manager.filter(**{model.USERNAME_FIELD: options["username"]}).first()
        if user is None:
            raise CommandError(f"no user {options['username']!r}")
        if not can_view(user):
            raise CommandError(
                f"{options['username']!r} may not view the report: make them active staff with "
                "the admin_hits.view_hits permission first"
            )
        token, digest = new_token()
        self.stdout.write(f"Token (shown once; give it to the script): {token}")
        self.stdout.write("Add to settings.py (the hash, not the token):")
        self.stdout.write(f'ADMIN_HITS_API_TOKENS = {{"{digest}": "{options["username"]}"}}')
