"""What differs between the Django releases the package supports (5.2 LTS, 6.0, 6.1).

Every place where the code has to depend on the Django version asks here, and each entry says
which release changed what, so that it can go with the last release that needs it. Nothing else
in the package reads ``django.VERSION``.
"""

from __future__ import annotations

from typing import Any

import django
from django.db import models

#: Django 6.1 labels the changelist's date links with the field they filter ("Filter by date",
#: also the ``<nav>``'s accessible name): ``admin_list.date_hierarchy`` gives the field's
#: ``verbose_name`` to ``admin/date_hierarchy.html`` as ``field_name``, which older templates
#: do not read. A changelist that renders that template from its own links must give it too.
DATE_HIERARCHY_NAMES_ITS_FIELD = django.VERSION >= (6, 1)


def date_hierarchy_field_context(field: models.Field) -> dict[str, Any]:
    """What ``admin/date_hierarchy.html`` needs about the field besides its links, as the
    running Django's own ``date_hierarchy`` tag gives it."""
    if DATE_HIERARCHY_NAMES_ITS_FIELD:
        return {"field_name": field.verbose_name}
    return {}


#: Django 6.1 sends e-mail through named mailers (``MAILERS``); sending with ``EMAIL_BACKEND``
#: alone warns that Django 2028 will have no default mailer. The package sends through the
#: default mailer either way; settings that must not warn (the tests, the sample site) name one.
HAS_MAILERS = django.VERSION >= (6, 1)
