"""`shopguide eval` end to end on small catalogues: a drawn one (any catalogue works) and real data."""

from __future__ import annotations

import csv
import json
import random
from pathlib import Path

from PIL import Image, ImageDraw

from models.training import TrainConfig
from shopguide.catalogue.readers import parse_mapping
from shopguide.evaluation.dataset import MYNTRA_MAP
from shopguide.evaluation.run import EvalOptions, run_evaluation

TINY = TrainConfig(dim=32, hidden_dim=128, epochs=3, attribute_epochs=3, fusion_epochs=2, min_class_count=2)
COLOURS = {"red": (195, 30, 40), "blue": (45, 95, 190), "green": (40, 135, 65), "black": (20, 20, 22)}
TYPES = {"shirt": (50, 40, 174, 150), "skirt": (70, 110, 154, 210), "scarf": (20, 90, 204, 120)}


def drawn_catalogue(folder: Path, n: int = 120) -> Path:
    """A shop's own CSV with its own column names and drawn product photos."""
    rng = random.Random(1)
    (folder / "photos").mkdir(parents=True)
    rows = []
    for number in range(n):
        colour, kind, who = rng.choice(list(COLOURS)), rng.choice(list(TYPES)), rng.choice(["women", "men"])
        image = Image.new("RGB", (224, 224), "white")
        ImageDraw.Draw(image).rectangle(TYPES[kind], fill=COLOURS[colour])
        image.save(folder / "photos" / f"p{number}.jpg")
        rows.append(
            {
                "sku": f"sku-{number}",
                "name": f"{colour} {kind} for {who}",
                "kind": kind,
                "tint": colour,
                "who": who,
                "maker": rng.choice(["Acme", "Zenith"]),
                "picture": f"p{number}.jpg",
            }
        )
    path = folder / "shop.csv"
    with path.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def test_eval_on_any_catalogue_writes_report_metrics_and_plots(tmp_path):
    catalogue = drawn_catalogue(tmp_path / "shop")
    mapping = parse_mapping("id=sku,title=name,category=kind,colours=tint,gender=who,brand=maker,image=picture")
    options = EvalOptions(
        "drawn",
        catalogue,
        mapping,
        images_dir=catalogue.parent / "photos",
        var_dir=tmp_path / "var",
        out_dir=tmp_path / "reports",
        config=TINY,
        min_query_items=2,
    )
    report = run_evaluation(options, report=lambda _: None)
    metrics = json.loads((report.parent / "metrics.json").read_text())
    assert report.name == "report.md" and "test split" in report.read_text()
    assert metrics["run"]["sizes"]["test"] > 10
    assert {"random", "joint (trained)", "colour descriptor", "attribute heads"} <= set(metrics["text_to_image"])
    assert set(metrics["composed"]["methods"]) >= {"weighted fusion", "learned fusion"}
    assert metrics["photo_look"]["queries"] >= 0
    assert set(metrics["attributes"]["test_accuracy"]) == {"category", "colour", "gender", "brand"}
    assert (report.parent / "text_to_image_r10.png").stat().st_size > 1000


def test_eval_on_real_data_with_phone_photos(shared_data, tmp_path):
    options = EvalOptions(
        "myntra-small",
        shared_data / "myntra" / "catalog_with_images.csv",
        parse_mapping(MYNTRA_MAP),
        photos_dir=shared_data / "clothing-cc0",
        var_dir=tmp_path / "var",
        out_dir=tmp_path / "reports",
        limit=500,
        min_query_items=3,
        max_photos=40,
        config=TINY,
        plots=False,
        brand_from_title=True,
    )
    report = run_evaluation(options, report=lambda _: None)
    metrics = json.loads((report.parent / "metrics.json").read_text())
    photo = metrics["photo_to_catalogue"]
    assert photo["photos"] > 10 and 0 <= photo["image tower cosine (photo space)"] <= 1
    assert 0 <= photo["image cosine + category agreement, head + neighbours' votes"] <= 1
    look = metrics["photo_look"]
    assert look["queries"] > 0 and 0 <= look["photo: read category, colour and pattern as words"]["colour"] <= 1
    assert set(metrics["photo_category_read"]) == {"head", "head + neighbours' votes"}
    assert "phone photo category P@10, with metadata" in metrics["headline"]
    assert metrics["text_to_image"]["joint (trained)"]["R@10"] > metrics["text_to_image"]["random"]["R@10"]
    assert set(metrics["attribute_queries"]) >= {"en", "zh", "queries"}
    assert 0 <= metrics["attributes"]["test_accuracy"]["brand"] <= 1
