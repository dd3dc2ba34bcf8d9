"""The NLU report over several DIET seeds: only the seed changes, and the spread is what the runs say."""

from __future__ import annotations

from pathlib import Path

import yaml

from shopguide.evaluation.nlu import METRICS, diet_seed, report, seed_config, spread
from shopguide.runner.rasa_project import BOT_DIR


def scores(intent: float) -> dict[str, float]:
    return {metric: intent for metric in METRICS} | {"messages": 190}


def test_a_seed_config_differs_from_the_bots_only_in_dicts_seed():
    config = yaml.safe_load((BOT_DIR / "config.yml").read_text())
    seeded = seed_config(config, 99)
    assert diet_seed(seeded) == 99 and diet_seed(config) != 99
    restored = seed_config(seeded, diet_seed(config))
    assert restored == config


def test_spread_gives_mean_lowest_and_highest_per_language():
    per_seed = {7: {"en": scores(0.90), "zh": scores(0.88)}, 8: {"en": scores(0.92), "zh": scores(0.86)}}
    result = spread(per_seed)
    assert result["en"]["intent_macro_f1_mean"] == 0.91
    assert (result["zh"]["entity_macro_f1_min"], result["zh"]["entity_macro_f1_max"]) == (0.86, 0.88)
    text = report(Path("bot-x.tar.gz"), per_seed[7], per_seed)
    assert "2 DIET seeds" in text and "| en | 0.91 (0.9-0.92)" in text
