"""Readers and row validation: mapping, Shopify grouping, prices, sizes."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from shopguide.catalogue.readers import SourceRow, detect_format, parse_mapping, read_rows
from shopguide.catalogue.rows import parse_price, parse_sizes, to_item
from shopguide.catalogue.schema import CatalogueItem
from shopguide.errors import RowRejected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12.50", (12.5, None)),
        ("$12.50", (12.5, "USD")),
        ("1,299.00", (1299.0, None)),
        ("1.299,00", (1299.0, None)),
        ("12,5", (12.5, None)),
        ("¥ 500", (500.0, "CNY")),
        ("", (None, None)),
        (42, (42.0, None)),
    ],
)
def test_parse_price(text, expected):
    assert parse_price(text) == expected


@pytest.mark.parametrize("text", ["abc", "1.2.3", "twelve", "--5"])
def test_unparsable_price(text):
    with pytest.raises(ValueError):
        parse_price(text)


def test_parse_sizes():
    assert parse_sizes("S:3; M:0 ;L") == [
        {"size": "S", "stock": 3},
        {"size": "M", "stock": 0},
        {"size": "L", "stock": 1},
    ]
    with pytest.raises(ValueError):
        parse_sizes("M:lots")


def test_mapping_renames_and_keeps_the_rest_as_extra(tmp_path: Path):
    path = tmp_path / "c.csv"
    path.write_text(
        "id,productDisplayName,articleType,baseColour,season,image,title_zh\n"
        "7,Blue Shirt,Shirts,Navy Blue,Fall,images/7.jpg,蓝色衬衫\n"
    )
    rows = list(
        read_rows(path, "auto", parse_mapping("title=productDisplayName,category=articleType,colours=baseColour"))
    )
    item = to_item(rows[0], "USD")
    assert (item.id, item.title, item.category, item.colours) == ("7", "Blue Shirt", "shirts", ["navy blue"])
    assert item.extra == {"season": "Fall"}
    assert item.localized_titles == {"zh": "蓝色衬衫"}
    assert item.image == "images/7.jpg"


def test_bad_mapping_is_refused():
    with pytest.raises(ValueError, match="field=column"):
        parse_mapping("title")


def test_row_problems_become_rejections():
    with pytest.raises(RowRejected, match="missing id"):
        to_item(SourceRow(3, {"title": "x"}), "USD")
    with pytest.raises(RowRejected, match="price"):
        to_item(SourceRow(4, {"id": "a", "title": "x", "price": "-3"}), "USD")
    with pytest.raises(RowRejected, match="title"):
        to_item(SourceRow(5, {"id": "a", "title": "  "}), "USD")


def write_shopify(path: Path, products: list[dict], image_src: str) -> None:
    """A Shopify product export: one row per variant, the first row of a product carries its fields."""
    header = [
        "Handle",
        "Title",
        "Body (HTML)",
        "Vendor",
        "Type",
        "Tags",
        "Published",
        "Option1 Name",
        "Option1 Value",
        "Option2 Name",
        "Option2 Value",
        "Variant SKU",
        "Variant Inventory Qty",
        "Variant Price",
        "Variant Compare At Price",
        "Image Src",
        "Image Position",
    ]
    with path.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, header)
        writer.writeheader()
        for product in products:
            for index, (size, colour, qty, price) in enumerate(product["variants"]):
                row = {
                    "Handle": product["handle"],
                    "Option1 Value": size,
                    "Option2 Value": colour,
                    "Variant Inventory Qty": qty,
                    "Variant Price": price,
                    "Variant SKU": f"{product['handle']}-{index}",
                }
                if index == 0:
                    row |= {
                        "Title": product["title"],
                        "Body (HTML)": "<p>Soft <b>cotton</b> &amp; more</p>",
                        "Vendor": "Acme",
                        "Type": product["type"],
                        "Tags": product["tags"],
                        "Published": "TRUE",
                        "Option1 Name": "Size",
                        "Option2 Name": "Color",
                        "Image Src": image_src.format(handle=product["handle"]),
                        "Image Position": "1",
                    }
                writer.writerow(row)
        # an extra image row, as Shopify writes for a product's second picture
        writer.writerow(
            {"Handle": products[0]["handle"], "Image Src": image_src.format(handle="extra"), "Image Position": "2"}
        )


def test_shopify_export_is_read_as_products(tmp_path: Path):
    path = tmp_path / "products_export.csv"
    write_shopify(
        path,
        [
            {
                "handle": "tee",
                "title": "Basic Tee",
                "type": "T-Shirt",
                "tags": "summer, Women",
                "variants": [("S", "Red", "3", "19.00"), ("M", "Red", "0", "19.00"), ("S", "Blue", "2", "21.00")],
            }
        ],
        "https://cdn.example.com/{handle}.jpg",
    )
    assert detect_format(path) == "shopify"
    rows = list(read_rows(path))
    assert len(rows) == 1
    item = to_item(rows[0], "USD")
    assert item.id == "tee" and item.title == "Basic Tee" and item.category == "t-shirt"
    assert item.description == "Soft  cotton  & more"
    assert item.colours == ["red", "blue"] and item.gender == "women" and item.price == 19.0
    assert {s.size: s.stock for s in item.sizes} == {"S": 5, "M": 0}
    assert item.sizes_in_stock == ["S"]
    assert item.image == "https://cdn.example.com/tee.jpg"
    assert item.brand == "Acme"


def test_a_brand_the_title_does_not_name_leads_the_shown_title_and_the_embedded_words():
    item = CatalogueItem(id="t", title="Basic Tee", brand="Acme", localized_titles={"zh": "基础T恤"})
    assert item.shown_title() == "Acme Basic Tee" and item.shown_title("zh") == "Acme 基础T恤"
    assert item.text_for_embedding() == "Acme Basic Tee | Acme 基础T恤"
    named = CatalogueItem(id="p", title="Puma Men Black T-shirt", brand="PUMA")
    assert named.shown_title() == "Puma Men Black T-shirt" == named.text_for_embedding()
    assert CatalogueItem(id="n", title="Basic Tee").shown_title("zh") == "Basic Tee"
    assert CatalogueItem(id="l", title="Fleece Jacket", brand="Lee").shown_title() == "Lee Fleece Jacket"
    assert CatalogueItem(id="c", title="Acme基础T恤", brand="Acme").shown_title() == "Acme基础T恤"
