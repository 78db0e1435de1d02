"""Pure domain rules over plain data: no database, no Flask."""
