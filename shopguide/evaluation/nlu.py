"""NLU scores per language: `rasa test nlu` on the held-out test sets in tests/nlu/, summarised.

A few examples added to training move this small DIET's scores by 0.01-0.04, so one model's figures
cannot tell a real change from its random draw. With extra seeds the same data is trained again with
other DIET seeds, and the report gives each seed's scores and their mean and range.
"""

from __future__ import annotations

import json
import statistics
import subprocess
from pathlib import Path

import yaml

from shopguide.runner.rasa_project import (
    BOT_DIR,
    rasa_environment,
    rasa_executable,
    train_model,
    trained_model,
    training_fingerprint,
)
from shopguide.settings import PROJECT_ROOT, Settings

TEST_SETS = {"en": PROJECT_ROOT / "tests" / "nlu" / "test_en.yml", "zh": PROJECT_ROOT / "tests" / "nlu" / "test_zh.yml"}
METRICS = ("intent_macro_f1", "intent_accuracy", "entity_macro_f1", "entity_weighted_f1")
Scores = dict[str, dict[str, float]]  # language -> metric -> value


def _scores(folder: Path) -> dict[str, float]:
    intents = json.loads((folder / "intent_report.json").read_text())
    entities = json.loads((folder / "DIETClassifier_report.json").read_text())
    return {
        "intent_macro_f1": round(intents["macro avg"]["f1-score"], 3),
        "intent_accuracy": round(intents["accuracy"], 3),
        "entity_macro_f1": round(entities["macro avg"]["f1-score"], 3),
        "entity_weighted_f1": round(entities["weighted avg"]["f1-score"], 3),
        "messages": int(intents["macro avg"]["support"]),
    }


def _test(settings: Settings, model: Path, out: Path) -> Scores:
    results = {}
    for language, test_set in TEST_SETS.items():
        folder = out / language
        command = [str(rasa_executable()), "test", "nlu", "--model", str(model), "--nlu", str(test_set)]
        subprocess.run(
            [*command, "--out", str(folder)],
            cwd=PROJECT_ROOT,
            env=rasa_environment(settings),
            check=True,
            capture_output=True,
        )
        results[language] = _scores(folder)
    return results


def diet_seed(config: dict) -> int:
    return next(c.get("random_seed", 0) for c in config["pipeline"] if c["name"] == "DIETClassifier")


def seed_config(config: dict, seed: int) -> dict:
    """The bot's config with only DIET's random seed changed."""
    pipeline = [c | {"random_seed": seed} if c["name"] == "DIETClassifier" else c for c in config["pipeline"]]
    return config | {"pipeline": pipeline}


def _seed_model(settings: Settings, config: dict, seed: int) -> Path:
    """The bot trained on the same data with another DIET seed (cached like the bot's own model)."""
    folder = settings.var_dir / "rasa" / "seeds"
    model = folder / f"bot-{training_fingerprint(settings)}-seed{seed}.tar.gz"
    if not model.exists():
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"config-seed{seed}.yml"
        path.write_text(yaml.safe_dump(seed_config(config, seed), allow_unicode=True, sort_keys=False))
        train_model(settings, path, model, settings.var_dir / "logs" / "rasa-train-seeds.log")
    return model


def spread(per_seed: dict[int, Scores]) -> Scores:
    """Per language and metric: the mean over seeds, and the lowest and highest."""
    runs = list(per_seed.values())
    return {
        language: {
            f"{metric}_{name}": round(summary([run[language][metric] for run in runs]), 3)
            for metric in METRICS
            for name, summary in (("mean", statistics.fmean), ("min", min), ("max", max))
        }
        for language in runs[0]
    }


def evaluate_nlu(settings: Settings, out: Path, model: Path | None = None, extra_seeds: int = 0) -> Scores:
    """Test the dialogue model (default: the one `run` uses) on each language's test set, and
    `extra_seeds` more trainings of it with other DIET seeds; write report.md and metrics.json."""
    model = model or trained_model(settings, settings.var_dir / "logs" / "rasa-train.log")
    results = _test(settings, model, out)
    config = yaml.safe_load((BOT_DIR / "config.yml").read_text())
    shipped = diet_seed(config)
    per_seed = {shipped: results}
    for seed in range(shipped + 1, shipped + 1 + extra_seeds):
        # their rasa test files (plots, errors) stay under var: the report carries their figures
        results_dir = settings.var_dir / "rasa" / "seeds" / f"test-{seed}"
        per_seed[seed] = _test(settings, _seed_model(settings, config, seed), results_dir)
    out.mkdir(parents=True, exist_ok=True)
    metrics = results | ({"seeds": per_seed, "spread": spread(per_seed)} if extra_seeds else {})
    (out / "metrics.json").write_text(json.dumps(metrics, indent=2))
    (out / "report.md").write_text(report(model, results, per_seed if extra_seeds else {}))
    return results


def _row(label: str, s: dict[str, float]) -> str:
    return f"| {label} | {s['messages']} | " + " | ".join(str(s[m]) for m in METRICS) + " |"


def report(model: Path, results: Scores, per_seed: dict[int, Scores]) -> str:
    header = "| {} | messages | intent macro-F1 | intent accuracy | entity macro-F1 | entity weighted-F1 |"
    lines = [
        "# NLU evaluation (held-out test sets in tests/nlu/, never used for training)",
        "",
        f"Model `{model.name}`.",
        "",
        header.format("language"),
        "|---|---|---|---|---|---|",
        *(_row(language, s) for language, s in results.items()),
    ]
    if per_seed:
        lines += ["", f"## The same data, {len(per_seed)} DIET seeds", "", header.format("language, seed")]
        lines.append("|---|---|---|---|---|---|")
        lines += [_row(f"{language}, {seed}", run[language]) for language in results for seed, run in per_seed.items()]
        lines += ["", "| language | " + " | ".join(f"{m}: mean (min-max)" for m in METRICS) + " |"]
        lines.append("|---|" + "---|" * len(METRICS))
        for language, s in spread(per_seed).items():
            cells = [f"{s[f'{m}_mean']} ({s[f'{m}_min']}-{s[f'{m}_max']})" for m in METRICS]
            lines.append(f"| {language} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"
