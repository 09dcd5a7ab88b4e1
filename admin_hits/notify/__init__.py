"""Traffic that comes to people: e-mail digests (``hits_digest``) and spike alerts
(``hits_alerts``), each scoped to what its recipient may see in the admin.

``periods`` names the digest's days, ``audience`` decides who gets what, ``digest`` and
``alerts`` gather the figures through the report's queries, ``mail`` renders and sends them.
"""
