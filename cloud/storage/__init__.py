"""Storage of the cloud service: PostgreSQL through peewee."""
