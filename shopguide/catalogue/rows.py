"""Turn a source row's loose fields (strings from a CSV, values from JSON) into a CatalogueItem.

Every failure becomes a :class:`RowRejected` with a reason a retailer can act on; the ingest
lists them in its report and goes on with the good rows.
"""

from __future__ import annotations

import re
from typing import Any

from pydantic import ValidationError

from shopguide.catalogue.readers import SourceRow
from shopguide.catalogue.schema import CatalogueItem
from shopguide.errors import RowRejected

_LIST_SPLIT = re.compile(r"\s*[;,|/]\s*")
_PRICE_CLEAN = re.compile(r"[^\d.,\-]")
_CURRENCY_SIGNS = {"$": "USD", "€": "EUR", "£": "GBP", "¥": "CNY", "￥": "CNY", "₹": "INR"}


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, list):
        return [str(v) for v in value if str(v).strip()]
    return [part for part in _LIST_SPLIT.split(str(value)) if part.strip()]


def parse_price(value: Any) -> tuple[float | None, str | None]:
    """``"$12.50"`` -> (12.5, "USD"); ``"1.299,00"`` -> (1299.0, None); raises ValueError if unparsable."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, None
    if isinstance(value, int | float):
        return float(value), None
    text = str(value).strip()
    currency = next((code for sign, code in _CURRENCY_SIGNS.items() if sign in text), None)
    number = _PRICE_CLEAN.sub("", text)
    if "," in number and "." in number:
        number = (
            number.replace(",", "")
            if number.rfind(".") > number.rfind(",")
            else number.replace(".", "").replace(",", ".")
        )
    elif number.count(",") == 1 and len(number.split(",")[1]) != 3:
        number = number.replace(",", ".")
    else:
        number = number.replace(",", "")
    if not re.fullmatch(r"-?\d+(\.\d+)?", number):
        raise ValueError(f"unparsable price {text!r}")
    return float(number), currency


def parse_sizes(value: Any) -> list[dict[str, Any]]:
    """``"S:3;M:0;L"`` or a list of ``{"size", "stock"}`` -> size/stock dicts (no count means 1 in stock)."""
    if isinstance(value, list) and all(isinstance(v, dict) for v in value):
        return value
    sizes = []
    for part in _as_list(value):
        name, _, stock = part.partition(":")
        stock = stock.strip()
        if stock and not stock.lstrip("-").isdigit():
            raise ValueError(f"unparsable stock {part!r}")
        sizes.append({"size": name.strip(), "stock": int(stock) if stock else 1})
    return sizes


def _localized_titles(fields: dict[str, Any]) -> dict[str, str]:
    titles = dict(fields.get("localized_titles") or {})
    for key in [k for k in fields if k.startswith("title_")]:
        value = str(fields.pop(key) or "").strip()
        if value:
            titles[key.removeprefix("title_")] = value
    return titles


def _first_error(error: ValidationError) -> str:
    first = error.errors()[0]
    where = ".".join(str(p) for p in first["loc"]) or "row"
    return f"{where}: {first['msg'].lower()}"


def to_item(source: SourceRow, default_currency: str) -> CatalogueItem:
    """Validate one row; raises RowRejected naming the first problem."""
    fields = dict(source.fields)
    item_id = str(fields.get("id") or "").strip() or None
    if source.problems:
        raise RowRejected(source.row, item_id, source.problems[0])
    if not item_id:
        raise RowRejected(source.row, None, "missing id")
    try:
        price, currency = parse_price(fields.get("price"))
        fields["price"] = price
        fields["currency"] = str(fields.get("currency") or currency or default_currency).upper()
        fields["sizes"] = parse_sizes(fields.get("sizes"))
    except ValueError as error:
        raise RowRejected(source.row, item_id, str(error)) from None
    for key in ("colours", "tags"):
        fields[key] = _as_list(fields.get(key))
    fields["localized_titles"] = _localized_titles(fields)
    fields = {
        k: (None if isinstance(v, str) and not v.strip() and k not in ("id", "title") else v) for k, v in fields.items()
    }
    fields = {k: v for k, v in fields.items() if v is not None}
    try:
        return CatalogueItem.model_validate(fields)
    except ValidationError as error:
        raise RowRejected(source.row, item_id, _first_error(error)) from None
