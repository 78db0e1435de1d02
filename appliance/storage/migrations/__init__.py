"""Numbered schema migrations, applied in order by appliance.storage.migrate."""
