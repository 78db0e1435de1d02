"""The field-level merge: concurrent edits of different fields both survive; of one field, the loser is recorded."""
from hypothesis import given
from hypothesis import strategies as st

from sync.merge import merge_change

ROW = {"id": "c1", "rev": 3, "first_name": "Aziza", "phone": "+998901234567", "notes": "", "synced_rev": 1}


def first_version():
    return merge_change(None, {}, 0, ROW, None, base=0, origin="box-a", at="2026-12-01T09:00:00Z")


def test_a_new_row_is_taken_whole_at_revision_one():
    made = first_version()
    assert made.crev == 1 and made.data == ROW and made.changed == ["first_name", "notes", "phone"]
    assert made.stamps == {"*": {"rev": 1, "at": "2026-12-01T09:00:00Z", "by": "box-a"}}


def test_edits_of_different_fields_from_two_places_both_survive():
    row = first_version()
    a = merge_change(row.data, row.stamps, row.crev, {**ROW, "phone": "+998935554433"}, ["phone"],
                     base=1, origin="box-a", at="2026-12-01T10:00:00Z")
    b = merge_change(a.data, a.stamps, a.crev, {**ROW, "notes": "prefers mornings"}, ["notes"],
                     base=1, origin="box-b", at="2026-12-01T10:00:05Z")
    assert (b.data["phone"], b.data["notes"], b.crev, b.conflicts) == ("+998935554433", "prefers mornings", 3, [])


def test_the_same_field_from_two_places_keeps_the_later_and_records_the_other():
    row = first_version()
    a = merge_change(row.data, row.stamps, row.crev, {**ROW, "phone": "+998935554433"}, ["phone"],
                     base=1, origin="box-a", at="2026-12-01T10:00:09Z")
    b = merge_change(a.data, a.stamps, a.crev, {**ROW, "phone": "+998971112233"}, ["phone"],
                     base=1, origin="cloud", at="2026-12-01T10:00:01Z")
    assert b.data["phone"] == "+998935554433" and b.changed == [] and b.crev == a.crev
    assert b.conflicts == [{"field": "phone", "kept": "+998935554433", "lost": "+998971112233",
                            "kept_by": "box-a", "lost_by": "cloud", "kept_at": "2026-12-01T10:00:09Z",
                            "lost_at": "2026-12-01T10:00:01Z"}]


def test_one_place_editing_twice_before_hearing_back_is_no_conflict():
    row = first_version()
    a = merge_change(row.data, row.stamps, row.crev, {**ROW, "notes": "x"}, ["notes"], 1, "box-a", "2026-12-01T10:00Z")
    again = merge_change(a.data, a.stamps, a.crev, {**ROW, "notes": "y"}, ["notes"], 1, "box-a", "2026-12-01T10:01Z")
    assert again.data["notes"] == "y" and again.conflicts == []


edits = st.lists(st.tuples(st.sampled_from(["box-a", "box-b", "cloud"]), st.sampled_from(["phone", "notes", "email"]),
                           st.text(max_size=5), st.integers(0, 6), st.integers(0, 59)), max_size=25)


@given(edits=edits)
def test_no_edit_is_ever_lost_silently(edits):
    row = first_version()
    data, stamps, crev = row.data, row.stamps, row.crev
    for origin, name, value, base, second in edits:
        merged = merge_change(data, stamps, crev, {**data, name: value}, [name], min(base, crev), origin,
                              f"2026-12-01T10:00:{second:02d}Z")
        outcome_values = [merged.data[name]] + [c["lost"] for c in merged.conflicts]
        assert value in outcome_values or value == data.get(name)
        assert merged.crev in (crev, crev + 1)
        data, stamps, crev = merged.data, merged.stamps, merged.crev
