"""Purchase history import: bad rows are reported and never stop it; a second import adds nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from shopguide.personalisation.purchases import PurchaseFileError, import_purchases, read_purchases

GOOD_AND_BAD = (
    "Shopper ID,Item ID,Date,Size\n"
    "ann,demo-0050,2024-03-01,M\n"
    "ann,demo-0030,2024/04/02T10:00:00,S\n"
    "bob,demo-0002,2024-01-05,42\n"
    "bob,gone-1,2023-12-24,\n"
    ",demo-0002,2024-01-05,42\n"
    "bob,,2024-01-05,42\n"
    "bob,demo-0003,05/01/2024,L\n"
    "ann,demo-0050,2024-03-01,M\n"
    "bob,demo-0004\n"
    "\n"
)


def write(tmp_path: Path, text: str | bytes) -> Path:
    path = tmp_path / "purchases.csv"
    path.write_bytes(text if isinstance(text, bytes) else text.encode())
    return path


def lookup(items):
    return lambda ids: {i: items[i] for i in ids if i in items}


def test_good_rows_go_in_and_each_bad_row_is_reported(tmp_path, profiles, demo_items):
    result = import_purchases(write(tmp_path, GOOD_AND_BAD), profiles, lookup(demo_items))
    reasons = {r.row: r.reason for r in result.rejected}
    assert reasons == {
        6: "missing shopper_id",
        7: "missing item_id",
        8: "unparsable date '05/01/2024' (use YYYY-MM-DD)",
        9: "same purchase as row 2",
        10: "missing date",
    }
    assert (result.rows, result.added, result.shoppers, result.unknown_items) == (9, 4, 2, 1)
    ann, bob = profiles.load("ann"), profiles.load("bob")
    assert ann.size_for("skirt") == "S" and ann.size_for("blouse") == "M"
    assert ann.preferences["pattern"]["floral"] == 4.0  # two floral purchases
    assert [p.item_id for p in bob.purchases] == ["gone-1", "demo-0002"] and bob.size_for("blouse") == "42"
    report = tmp_path / "report.json"
    result.write(report)
    assert json.loads(report.read_text())["rejected"][0] == {"row": 6, "item_id": "demo-0002", "reason": reasons[6]}
    again = import_purchases(write(tmp_path, GOOD_AND_BAD), profiles, lookup(demo_items))
    assert (again.added, again.already_known) == (0, 4)
    assert profiles.load("ann").preferences == ann.preferences


def test_bytes_that_are_not_utf8_reject_their_row_only(tmp_path):
    data = b"shopper_id,item_id,date\nann,demo-0050,2024-03-01\n\xff\xfeann,x,2024-01-01\nbob,demo-1,2024-01-02\n"
    rows, rejected = read_purchases(write(tmp_path, data))
    assert [r.shopper for r in rows] == ["ann", "bob"]
    assert [(r.row, r.reason) for r in rejected] == [(3, "not UTF-8 text")]


def test_a_file_without_the_needed_columns_is_one_clear_error(tmp_path):
    with pytest.raises(PurchaseFileError, match="missing columns: shopper_id, item_id, date"):
        read_purchases(write(tmp_path, "customer,what\nann,shoes\n"))
    with pytest.raises(PurchaseFileError, match="no such file"):
        read_purchases(tmp_path / "missing.csv")


def test_shoppers_who_refused_consent_are_skipped(tmp_path, profiles, demo_items):
    profiles.set_consent("bob", False)
    result = import_purchases(write(tmp_path, GOOD_AND_BAD), profiles, lookup(demo_items))
    assert result.not_learned == 2 and profiles.load("bob").is_empty()
