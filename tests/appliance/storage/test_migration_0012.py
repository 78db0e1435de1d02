"""Migration 0012 (a return's detail on its fiscal intent) on a box whose intents hold data."""
import sqlite3

from playhouse.schema_diff import diff_models

from appliance.storage.models.cash import FiscalIntent

NOW = "2026-01-10 09:00:00.000000"


def test_0012_adds_the_detail_and_keeps_open_intents(box_before):
    db, runner, path = box_before("0012")
    db.connection().execute(
        "INSERT INTO fiscal_intent (sale,register,shift,attempt,kind,document_before,tenders,total,state,document,"
        "started_at,note) VALUES ('s1','r1','h1',1,'sale',41,'[]',150000,'open','',?,'')", (NOW,))
    db.connection().commit()
    assert runner.up("0012_return_intent") == ["0012_return_intent"]
    assert not diff_models(db, [FiscalIntent])
    intent = FiscalIntent.get()
    assert (intent.sale, intent.state, intent.document_before, intent.detail) == ("s1", "open", 41, None)
    assert runner.down("0012_return_intent") == ["0012_return_intent"]
    raw = sqlite3.connect(path)
    assert [c[1] for c in raw.execute("PRAGMA table_info(fiscal_intent)")][-1] == "note"
    assert raw.execute("SELECT sale, document_before FROM fiscal_intent").fetchall() == [("s1", 41)]
    db.close()
