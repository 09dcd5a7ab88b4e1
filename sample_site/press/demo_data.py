"""The demo's companies and press releases, created once (running it again changes nothing)."""

from __future__ import annotations

import datetime

from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from press.models import Company, PressRelease
from press.traffic import Page

COMPANIES: dict[str, list[str]] = {
    "Northwind Robotics": [
        "Northwind Robotics opens its second assembly plant in Leipzig",
        "Northwind Robotics unveils a warehouse robot that climbs shelving",
        "Northwind Robotics reports record third-quarter orders",
        "Northwind Robotics partners with two logistics carriers in Poland",
    ],
    "Blue Harbor Energy": [
        "Blue Harbor Energy connects its 400 MW offshore wind farm to the grid",
        "Blue Harbor Energy signs a ten-year power purchase agreement",
        "Blue Harbor Energy appoints a new chief financial officer",
        "Blue Harbor Energy publishes its annual sustainability report",
    ],
    "Kestrel Health": [
        "Kestrel Health receives CE marking for its home blood test",
        "Kestrel Health raises EUR 48 million in series B funding",
        "Kestrel Health starts a clinical study with three university hospitals",
        "Kestrel Health launches its app in Austria and Switzerland",
    ],
    "Fernweh Travel": [
        "Fernweh Travel adds night-train packages to 20 cities",
        "Fernweh Travel survey: half of travellers plan a rail holiday",
        "Fernweh Travel opens bookings for its summer season",
        "Fernweh Travel wins the European Travel Innovation Award",
    ],
    "Quill & Ledger": [
        "Quill & Ledger releases version 5 of its accounting suite",
        "Quill & Ledger acquires a payroll start-up from Lisbon",
        "Quill & Ledger introduces e-invoicing for small businesses",
        "Quill & Ledger passes 100,000 paying customers",
    ],
    "Alpenglow Foods": [
        "Alpenglow Foods recalls one batch of hazelnut spread as a precaution",
        "Alpenglow Foods switches all packaging to recycled paper",
        "Alpenglow Foods opens a visitor centre at its Allgäu dairy",
        "Alpenglow Foods names its new head of product development",
    ],
}

PARAGRAPHS = (
    "{company} today announced {topic}. The company expects the step to strengthen its "
    "position in a market that has grown steadily over the past three years.",
    '"This is an important moment for our customers and our team," said the managing '
    'director of {company}. "We have worked towards it for a long time."',
    "Further details, images and interview requests: press office of {company}. "
    "About {company}: founded in {founded}, the company employs about {staff} people.",
)


def release_body(company: str, title: str, number: int) -> str:
    topic = title.removeprefix(company).strip()
    values = {
        "company": company,
        "topic": topic,
        "founded": 1990 + number % 30,
        "staff": 80 + 37 * number,
    }
    return "\n\n".join(p.format(**values) for p in PARAGRAPHS)


@transaction.atomic
def create_demo_objects(today: datetime.date | None = None) -> tuple[int, int]:
    """Create the demo companies and releases that are missing; return how many were new."""
    today = today or timezone.localdate()
    new_companies = new_releases = 0
    number = 0
    for name, titles in COMPANIES.items():
        company, created = Company.objects.get_or_create(
            slug=slugify(name),
            defaults={"name": name, "website": f"https://www.{slugify(name)}.example/"},
        )
        new_companies += created
        for title in titles:
            number += 1
            release, created = PressRelease.objects.get_or_create(
                slug=slugify(title)[:200],
                defaults={
                    "title": title,
                    "company": company,
                    "published": today - datetime.timedelta(days=(number * 11) % 90 + 1),
                    "body": release_body(name, title, number),
                },
            )
            new_releases += created
            if not release.press_kit:
                release.press_kit.save(f"{release.slug[:80]}.pdf", ContentFile(tiny_pdf(title)))
    return new_companies, new_releases


def tiny_pdf(title: str) -> bytes:
    """A one-page PDF saying ``title`` (a valid file of a few hundred bytes, made by hand)."""
    text = title.replace("\\", "").replace("(", "").replace(")", "")[:90]
    stream = f"BT /F1 12 Tf 40 800 Td (Press kit: {text}) Tj ET".encode("latin-1", "replace")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref,
    )  # fmt: skip
    return bytes(out)


def demo_pages() -> tuple[list[Page], list[str]]:
    """The demo's detail pages, most popular first, and its listing pages."""
    pages = [
        Page(r.get_absolute_url(), f"{r.company.name} {r.title}", 1 / (rank + 1), r.published,
             download=r.press_kit.url if r.press_kit else "")
        for rank, r in enumerate(PressRelease.objects.select_related("company").order_by("slug"))
    ]  # fmt: skip
    pages += [Page(c.get_absolute_url(), c.name, 0.15) for c in Company.objects.all()]
    return pages, [reverse("press:releases"), reverse("press:companies")]
