"""Numbered migrations of the cloud database."""
