"""Small MaxMind-format databases written by the tests (``mmdb-writer``, MIT), for the real
reader (``maxminddb``) to read: the networks are documentation ranges, which the built-in
registry countries (``iptocc``) place nowhere, so a country found comes from the file."""

from __future__ import annotations

from pathlib import Path

from mmdb_writer import MMDBWriter
from netaddr import IPSet

# network -> what the database says of it, and the country the package should read there.
NETWORKS = {
    "192.0.2.0/24": ({"country": {"iso_code": "FR"}}, "FR"),
    "2001:db8::/32": ({"country": {"iso_code": "JP"}}, "JP"),
    # A City database's record: the country with names and the continent beside it.
    "198.51.100.0/25": (
        {"continent": {"code": "EU"}, "country": {"iso_code": "de", "names": {"en": "Germany"}}},
        "DE",
    ),
    # Only the registry's country (an anycast or satellite network, say).
    "198.51.100.128/25": ({"registered_country": {"iso_code": "BR"}}, "BR"),
}


def write_database(path: Path, database_type: str = "GeoLite2-Country") -> Path:
    writer = MMDBWriter(ip_version=6, database_type=database_type, ipv4_compatible=True)
    for network, (record, _) in NETWORKS.items():
        writer.insert_network(IPSet([network]), record)
    writer.to_db_file(str(path))
    return path
