"""The Audience tab: browsers, systems, devices, countries, hours, AI crawlers."""
