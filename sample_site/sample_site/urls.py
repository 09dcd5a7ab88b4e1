from __future__ import annotations

from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),  # set_language, for the admin's switcher
    path("", include("press.urls")),
    # The press kits (uploaded files), served by runserver in the demo.
    *static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT),
]
