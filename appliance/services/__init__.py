"""Use cases on peewee: no Flask, no drivers."""
