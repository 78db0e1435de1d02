"""Indexes nothing reads, dropped from the sync tables: they cost most of the ingest's write (issue #4).

Peewee gives every ``BinaryJSONField`` a GIN index unless told otherwise, so
``entity_row.data`` and ``.stamps``, ``down_change.payload`` and
``sync_conflict.kept``/``.lost`` each had one. No query of the cloud looks
inside those documents (rows are found by entity and id, salon and entity,
or box and seq), and a GIN index over a 20-field client card turned one row
into dozens of index entries: about two thirds of PostgreSQL's time per
applied change. Two single-column btrees are the leading column of another
index already: ``entity_row (salon_id)`` of ``(salon_id, entity)`` and
``down_change (box_id)`` of its primary key ``(box_id, seq)``.
"""

REDUNDANT = ("entity_row_data", "entity_row_stamps", "entity_row_salon_id", "down_change_payload",
             "down_change_box_id", "sync_conflict_kept", "sync_conflict_lost")


def up(migrator, db):
    for name in REDUNDANT:
        db.execute_sql(f'DROP INDEX IF EXISTS "{name}"')


def down(migrator, db):
    db.execute_sql('CREATE INDEX IF NOT EXISTS "entity_row_data" ON "entity_row" USING GIN ("data")')
    db.execute_sql('CREATE INDEX IF NOT EXISTS "entity_row_stamps" ON "entity_row" USING GIN ("stamps")')
    db.execute_sql('CREATE INDEX IF NOT EXISTS "entity_row_salon_id" ON "entity_row" ("salon_id")')
    db.execute_sql('CREATE INDEX IF NOT EXISTS "down_change_payload" ON "down_change" USING GIN ("payload")')
    db.execute_sql('CREATE INDEX IF NOT EXISTS "down_change_box_id" ON "down_change" ("box_id")')
    db.execute_sql('CREATE INDEX IF NOT EXISTS "sync_conflict_kept" ON "sync_conflict" USING GIN ("kept")')
    db.execute_sql('CREATE INDEX IF NOT EXISTS "sync_conflict_lost" ON "sync_conflict" USING GIN ("lost")')
