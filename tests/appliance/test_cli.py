"""The salon-box command: migrations with a backup first, set-up, users."""
import sqlite3

from appliance.cli import main


def test_migrate_twice_backs_up_only_when_something_is_pending(tmp_path, capsys):
    data = tmp_path / "box"
    assert main(["--data-dir", str(data), "migrate"]) == 0
    assert "applied: 0001_initial, 0002" in capsys.readouterr().out
    assert main(["--data-dir", str(data), "migrate"]) == 0
    assert "nothing, schema is current" in capsys.readouterr().out
    assert not (data / "backups").exists()
    assert main(["--data-dir", str(data), "status"]) == 0


def test_setup_and_add_user(tmp_path, capsys, monkeypatch):
    data = tmp_path / "box"
    assert main(["--data-dir", str(data), "setup", "--name", "Lola", "--timezone", "Asia/Tashkent",
                 "--currency", "UZS", "--country", "UZ"]) == 0
    monkeypatch.setenv("SALON_BOX_NEW_PASSWORD", "short")
    assert main(["--data-dir", str(data), "add-user", "--username", "admin", "--role", "administrator",
                 "--first-name", "Lola"]) == 2
    assert "at least 8" in capsys.readouterr().err
    monkeypatch.setenv("SALON_BOX_NEW_PASSWORD", "Long-enough-1")
    assert main(["--data-dir", str(data), "add-user", "--username", "admin", "--role", "administrator",
                 "--first-name", "Lola"]) == 0
    rows = sqlite3.connect(data / "box.sqlite3").execute("SELECT username, role FROM staff").fetchall()
    assert rows == [("admin", "administrator")]


def test_upgrade_of_an_old_box_keeps_a_backup_of_the_old_schema(tmp_path, capsys):
    from appliance.storage.database import open_database
    from appliance.storage.migrate import upgrade

    data = tmp_path / "box"
    data.mkdir()
    db = open_database(str(data / "box.sqlite3"))
    upgrade(db, "0001_initial")
    db.close()
    assert main(["--data-dir", str(data), "migrate"]) == 0
    (backup,) = (data / "backups").iterdir()
    assert "before-0002" in backup.name
    columns = [r[1] for r in sqlite3.connect(backup).execute("PRAGMA table_info(client)")]
    assert "search_text" not in columns


def test_sync_without_a_broker_configured_says_what_to_set(tmp_path, capsys, monkeypatch):
    for key in ("SYNC_BROKER_HOST", "SYNC_BOX_ID", "SYNC_PASSWORD"):
        monkeypatch.delenv(f"SALON_BOX_{key}", raising=False)
    monkeypatch.setenv("SALON_BOX_CONFIG", str(tmp_path / "none.toml"))
    assert main(["--data-dir", str(tmp_path / "box"), "sync"]) == 2
    err = capsys.readouterr().err
    assert "SALON_BOX_SYNC_BROKER_HOST" in err and "SALON_BOX_SYNC_PASSWORD" in err


def test_prune_reports_what_went_and_refuses_a_keeping_time_under_a_day(tmp_path, capsys, monkeypatch):
    data = tmp_path / "box"
    monkeypatch.setenv("SALON_BOX_CONFIG", str(tmp_path / "none.toml"))
    assert main(["--data-dir", str(data), "prune"]) == 1  # no schema yet: migrate first
    assert "salon-box migrate" in capsys.readouterr().err
    assert main(["--data-dir", str(data), "migrate"]) == 0
    assert main(["--data-dir", str(data), "prune"]) == 0
    assert "pruned: change_log 0, card_tap 0, api_token 0" in capsys.readouterr().out
    monkeypatch.setenv("SALON_BOX_CARD_TAP_KEEP_DAYS", "0")
    assert main(["--data-dir", str(data), "prune"]) == 2
    assert "SALON_BOX_CARD_TAP_KEEP_DAYS must be at least 1 day" in capsys.readouterr().err
