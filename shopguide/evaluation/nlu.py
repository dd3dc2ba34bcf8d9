"""NLU scores per language: `rasa test nlu` on the held-out test sets in tests/nlu/, summarised."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from shopguide.runner.rasa_project import rasa_environment, rasa_executable, trained_model
from shopguide.settings import PROJECT_ROOT, Settings

TEST_SETS = {"en": PROJECT_ROOT / "tests" / "nlu" / "test_en.yml", "zh": PROJECT_ROOT / "tests" / "nlu" / "test_zh.yml"}


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


def evaluate_nlu(settings: Settings, out: Path, model: Path | None = None) -> dict[str, dict[str, float]]:
    """Test the dialogue model (default: the one `run` uses) on each language's test set; write
    report.md and metrics.json."""
    model = model or trained_model(settings, settings.var_dir / "logs" / "rasa-train.log")
    results = {}
    for language, test_set in TEST_SETS.items():
        folder = out / language
        subprocess.run(
            [
                str(rasa_executable()),
                "test",
                "nlu",
                "--model",
                str(model),
                "--nlu",
                str(test_set),
                "--out",
                str(folder),
            ],
            cwd=PROJECT_ROOT,
            env=rasa_environment(settings),
            check=True,
            capture_output=True,
        )
        results[language] = _scores(folder)
    out.mkdir(parents=True, exist_ok=True)
    (out / "metrics.json").write_text(json.dumps(results, indent=2))
    lines = [
        "# NLU evaluation (held-out test sets in tests/nlu/, never used for training)",
        "",
        f"Model `{model.name}`.",
        "",
        "| language | messages | intent macro-F1 | intent accuracy | entity macro-F1 | entity weighted-F1 |",
        "|---|---|---|---|---|---|",
    ]
    for language, s in results.items():
        lines.append(
            f"| {language} | {s['messages']} | {s['intent_macro_f1']} | {s['intent_accuracy']} | "
            f"{s['entity_macro_f1']} | {s['entity_weighted_f1']} |"
        )
    (out / "report.md").write_text("\n".join(lines) + "\n")
    return results
