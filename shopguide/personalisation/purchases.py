"""Purchase history from a CSV (shopper id, item id, date, size) into profiles.

A bad row never stops the import: each is listed with its row number and reason (no shopper ids
in the report), the good rows go in. Importing the same file again adds nothing: a purchase is
known by its shopper, item and date.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, fields
from datetime import date, datetime
from pathlib import Path

from shopguide.catalogue.schema import CatalogueItem
from shopguide.errors import RowRejected, ShopguideError
from shopguide.personalisation.profile import Purchase
from shopguide.personalisation.profile_store import ProfileStore

COLUMNS = {
    "shopper": ("shopper_id", "shopper", "customer_id", "user_id", "sender_id"),
    "item": ("item_id", "item", "product_id", "sku"),
    "date": ("date", "purchase_date", "order_date", "purchased_at"),
    "size": ("size",),
}
REQUIRED = ("shopper", "item", "date")
MAX_FIELD = 200


class PurchaseFileError(ShopguideError):
    """The file as a whole cannot be imported (missing, or without the required columns)."""


@dataclass
class PurchaseRow:
    row: int
    shopper: str
    purchase: Purchase


@dataclass
class ImportResult:
    rows: int = 0
    shoppers: int = 0
    added: int = 0
    already_known: int = 0
    not_learned: int = 0  # rows of shoppers who refused (or have not given) consent
    unknown_items: int = 0  # kept, but no attributes learned: the catalogue does not have them
    rejected: list[RowRejected] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"{self.rows} rows: {self.added} purchases added for {self.shoppers} shoppers, "
            f"{self.already_known} already known, {self.not_learned} not learned (no consent), "
            f"{len(self.rejected)} rejected; {self.unknown_items} items not in the catalogue"
        )

    def write(self, path: Path) -> None:
        record: dict = {f.name: getattr(self, f.name) for f in fields(self) if f.name != "rejected"}
        record["rejected"] = [{"row": r.row, "item_id": r.item_id, "reason": r.reason} for r in self.rejected]
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(record, indent=2, ensure_ascii=False))


def parse_date(text: str) -> date:
    """``2024-03-05``, ``2024/03/05`` or an ISO date-time; raises ValueError otherwise."""
    text = text.strip().replace("/", "-")
    try:
        return date.fromisoformat(text)
    except ValueError:
        return datetime.fromisoformat(text).date()


def _columns(header: list[str]) -> dict[str, int]:
    """Column index per field, from the header's names (case and spaces ignored)."""
    names = [h.strip().lower().replace(" ", "_") for h in header]
    found = {}
    for name, aliases in COLUMNS.items():
        index = next((names.index(a) for a in aliases if a in names), None)
        if index is not None:
            found[name] = index
    missing = [name for name in REQUIRED if name not in found]
    if missing:
        wanted = ", ".join(COLUMNS[name][0] for name in missing)
        raise PurchaseFileError(f"missing columns: {wanted} (the header has: {', '.join(header) or 'nothing'})")
    return found


def _records(path: Path) -> Iterator[tuple[int, list[str] | None, str | None]]:
    """(row number, cells, problem) per line; bytes that are not UTF-8 become a problem, not a crash."""
    text = path.read_bytes().decode("utf-8-sig", errors="replace")
    reader = csv.reader(io.StringIO(text, newline=""))
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            yield reader.line_num, None, f"unreadable CSV ({error})"
            continue
        if any(cells):
            problem = "not UTF-8 text" if any("\ufffd" in c for c in cells) else None
            yield reader.line_num, cells, problem


def _row(number: int, cells: list[str], columns: dict[str, int]) -> PurchaseRow:
    """One purchase, or RowRejected with a reason the shop can act on."""
    values = {name: cells[i].strip() if i < len(cells) else "" for name, i in columns.items()}
    item_id = values["item"] or None
    for name in REQUIRED:
        if not values[name]:
            raise RowRejected(number, item_id, f"missing {COLUMNS[name][0]}")
    too_long = [COLUMNS[name][0] for name, value in values.items() if len(value) > MAX_FIELD]
    if too_long:
        raise RowRejected(number, None, f"{too_long[0]} longer than {MAX_FIELD} characters")
    try:
        when = parse_date(values["date"])
    except ValueError:
        raise RowRejected(number, item_id, f"unparsable date {values['date']!r} (use YYYY-MM-DD)") from None
    purchase = Purchase(item_id=values["item"], date=when, size=values.get("size") or None)
    return PurchaseRow(number, values["shopper"], purchase)


def read_purchases(path: Path) -> tuple[list[PurchaseRow], list[RowRejected]]:
    """Every good row, and every rejected one with its reason; raises PurchaseFileError if the
    file cannot be read or lacks a required column."""
    if not path.is_file():
        raise PurchaseFileError(f"no such file: {path}")
    records = _records(path)
    header = next((cells for _, cells, _ in records if cells is not None), None)
    columns = _columns(header or [])
    good, rejected, seen = [], [], {}
    for number, cells, problem in records:
        try:
            if problem or cells is None:
                raise RowRejected(number, None, problem or "unreadable row")
            row = _row(number, cells, columns)
            key = (row.shopper, row.purchase.item_id, row.purchase.date)
            if key in seen:
                raise RowRejected(number, row.purchase.item_id, f"same purchase as row {seen[key]}")
            seen[key] = number
            good.append(row)
        except RowRejected as error:
            rejected.append(error)
    return good, rejected


def import_purchases(
    path: Path, store: ProfileStore, lookup: Callable[[Sequence[str]], dict[str, CatalogueItem]]
) -> ImportResult:
    """Read the file and add each shopper's purchases to their profile; `lookup` gives the catalogue
    items of the ids it knows (their attributes and categories are learned)."""
    rows, rejected = read_purchases(path)
    result = ImportResult(rows=len(rows) + len(rejected), rejected=rejected)
    items = lookup(sorted({r.purchase.item_id for r in rows}))
    result.unknown_items = len({r.purchase.item_id for r in rows} - set(items))
    by_shopper: dict[str, list[Purchase]] = {}
    for row in rows:
        by_shopper.setdefault(row.shopper, []).append(row.purchase)
    for shopper, purchases in by_shopper.items():
        if not store.may_learn(store.load(shopper)):
            result.not_learned += len(purchases)
            continue
        _, added = store.record_purchases(shopper, purchases, items)
        result.added += added
        result.already_known += len(purchases) - added
        result.shoppers += 1
    return result
