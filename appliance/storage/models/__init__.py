"""Peewee models of the box, one module per area of the salon."""
