"""The private PostgreSQL server: a database per test, loopback only, data kept across restarts."""
import psycopg
import pytest

from tests.infra.postgres import PrivatePostgres


def test_a_fresh_database_per_test_on_a_private_loopback_server(pg_dsn, postgres_server):
    assert pg_dsn.startswith(f"postgresql://postgres@127.0.0.1:{postgres_server.port}/t_")
    with psycopg.connect(pg_dsn) as connection:
        assert connection.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'").fetchone() == (0,)
        settings = dict(connection.execute(
            "SELECT name, setting FROM pg_settings WHERE name IN ('listen_addresses', 'port', 'fsync')").fetchall())
    assert settings == {"listen_addresses": "127.0.0.1", "port": str(postgres_server.port), "fsync": "off"}
    assert postgres_server.port != 5432


@pytest.mark.parametrize("mode", ["fast", "immediate"])
def test_restart_keeps_committed_data(pg_dsn, postgres_server, mode):
    with psycopg.connect(pg_dsn) as connection:
        connection.execute("CREATE TABLE salon (id int PRIMARY KEY, name text)")
        connection.execute("INSERT INTO salon VALUES (1, 'Demo')")
    postgres_server.restart(mode)
    with psycopg.connect(pg_dsn) as connection:
        assert connection.execute("SELECT id, name FROM salon").fetchall() == [(1, "Demo")]


def test_drop_database_ends_open_connections(postgres_server):
    dsn = postgres_server.create_database("t_dropped_while_open")
    connection = psycopg.connect(dsn)
    try:
        postgres_server.drop_database("t_dropped_while_open")
        with pytest.raises(psycopg.OperationalError):
            connection.execute("SELECT 1")
    finally:
        connection.close()
    with pytest.raises(psycopg.OperationalError, match="does not exist"):
        psycopg.connect(dsn).close()


def test_database_names_must_be_plain_identifiers(postgres_server):
    with pytest.raises(ValueError):
        postgres_server.create_database('x"; DROP DATABASE postgres; --')


def test_stop_modes_are_checked():
    with pytest.raises(ValueError):
        PrivatePostgres().stop("abrupt")
