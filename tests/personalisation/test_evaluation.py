"""`shopguide eval-personalisation` end to end: a drawn shop's catalogue, and a small slice of real data."""

from __future__ import annotations

import json

import pytest

from shopguide.catalogue.readers import parse_mapping
from shopguide.evaluation.dataset import MYNTRA_MAP
from shopguide.evaluation.personalisation import PersonalEvalOptions, run_personalisation_eval
from shopguide.personalisation.rerank import PersonalWeights
from tests.evaluation.test_eval_run import drawn_catalogue


def test_feedback_makes_the_next_pages_fit_the_taste_better(tmp_path):
    catalogue = drawn_catalogue(tmp_path / "shop", n=400)
    options = PersonalEvalOptions(
        catalogue,
        parse_mapping("id=sku,title=name,category=kind,colours=tint,gender=who,image=picture"),
        PersonalWeights(),
        images_dir=catalogue.parent / "photos",
        request_column="gender",  # shoppers say only "for women" / "for men"
        shoppers=80,
        min_taste_items=3,
        var_dir=tmp_path / "var",
        out_dir=tmp_path / "report",
    )
    report = run_personalisation_eval(options, report=lambda _: None)
    metrics = json.loads((report.parent / "metrics.json").read_text())
    arms = metrics["arms"]
    plain, personal = arms["without personalisation, next page each turn"], arms[next(a for a in arms if "MMR" in a)]
    assert personal["precision"][3] > plain["precision"][3] + 0.08
    assert len(personal["precision"]) == 6 and metrics["run"]["test_items"] > 30
    text = report.read_text()
    assert "test split" in text and "after 3 turns" in text
    assert (report.parent / "precision_by_turn.png").stat().st_size > 1000


@pytest.mark.slow
@pytest.mark.shared_data
def test_on_a_slice_of_myntra_with_tuning_on_the_train_split(shared_data, tmp_path):
    options = PersonalEvalOptions(
        shared_data / "myntra" / "catalog_with_images.csv",
        parse_mapping(MYNTRA_MAP),
        PersonalWeights(),
        shoppers=30,
        min_taste_items=3,
        limit=800,
        tune=True,
        tune_rows=400,
        var_dir=tmp_path / "var",
        out_dir=tmp_path / "report",
        plots=False,
    )
    report = run_personalisation_eval(options, report=lambda _: None)
    metrics = json.loads((report.parent / "metrics.json").read_text())
    assert metrics["run"]["tuned"] and len(metrics["tuning"]) == 18
    assert set(metrics["run"]["weights"]) >= {"like", "dislike", "attributes", "mmr_lambda"}
    assert "TRAIN-split" in report.read_text()
