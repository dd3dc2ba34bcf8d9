"""Writing the personalisation evaluation: ``metrics.json``, ``report.md`` and a PNG plot."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

SHOWN_TURNS = (0, 3, 5)
PLOT = "precision_by_turn.png"


def _table(arms: dict[str, dict], turns: list[int]) -> list[str]:
    header = [f"after {t} turns" for t in turns] + [f"page similarity after {t}" for t in turns]
    lines = ["| method | " + " | ".join(header) + " |", "|---" * (len(header) + 1) + "|"]
    for name, result in arms.items():
        cells = [f"{result['precision'][t]:.3f} ± {result['ci95'][t]:.3f}" for t in turns]
        cells += [f"{result['page_similarity'][t]:.3f}" for t in turns]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return lines


def render_markdown(metrics: dict[str, Any]) -> str:
    run, arms = metrics["run"], metrics["arms"]
    turns = [t for t in SHOWN_TURNS if t <= run["turns"]]
    weights = ", ".join(f"{k} {v:g}" for k, v in run["weights"].items())
    lines = [
        "# Evaluation: personalisation (simulated shoppers)",
        "",
        f"Catalogue `{run['catalogue']}`; **every figure is on the test split** ({run['test_items']} items; the "
        f"split by a hash of the id that the model evaluation uses). {run['shoppers']} simulated shoppers.",
        "",
        f"## precision@{run['k']} of the shopper's taste after 0, 3 and 5 feedback turns",
        "",
        *_table(arms, turns),
        "",
        "± is the half-width of a 95% interval over the shoppers. Every method sees the same shoppers, tastes "
        "and requests in the same run; the first page (0 turns) differs only by the diversity step. Page "
        "similarity is the mean cosine between the shown items' image vectors (lower: less alike).",
        "",
        "## How the shoppers behave",
        "",
        "- **Hidden taste**: one colour + one article type + one gender line (e.g. navy blue shirts for men), "
        "drawn uniformly among the combinations with at least 10 test items. Relevant = all three match.",
        f'- **Request**: only the broad group (`{run["request_column"]}`, e.g. "topwear"). Relevance is the '
        "text space's cosine of those words to the titles (frozen text tower), as the search computes it.",
        f"- **Each turn** shows the top {run['k']} of the items the shopper has not reacted to. They like the "
        "shown item closest to their taste if it has at least two of the three attributes right, and dislike "
        "the highest-placed one with at most one; both then leave the list (a liked item never counts twice), "
        "the other shown items may come back re-ranked. Likes and dislikes go into a Profile exactly as the "
        "assistant's feedback does. Without personalisation, feedback changes nothing but that removal; the "
        'other baseline shows the next page each turn ("show more").',
        f"- **Candidates for the reranker**: the {run['pool']} most relevant items of the group (the assistant's "
        f"candidate pool) plus the {run['pool']} closest to the look of the liked items (the profile as a "
        "second query to the store).",
        f"- **Item vectors**: the image space ({run['image_tower']}, cached features), as the store keeps them.",
        "- **Not measured here**: myntra has no prices and no sizes, so the price and availability terms are "
        "constant on this catalogue; no synthetic prices were made up.",
        "",
        f"Weights: {weights}"
        + (" (chosen on TRAIN-split shoppers, grid below)." if run["tuned"] else " (the settings' defaults)."),
        f"Timings (s): {', '.join(f'{k} {v:.1f}' for k, v in run['timings_s'].items())}.",
    ]
    if metrics.get("tuning"):
        objectives = [t["objective"] for t in metrics["tuning"]]
        lines += [
            "",
            f"## Tuning grid ({run['tune_items']} TRAIN-split items, the same shoppers' protocol; objective: mean "
            "precision after 3 and 5 turns, MMR on)",
            "",
            f"The objective spans {min(objectives):.3f}-{max(objectives):.3f} over the grid, within about one "
            "95% interval: on this simulation the exact weights matter little. mmr_lambda is not tuned (a "
            "precision-only objective would always turn diversity off).",
            "",
        ]
        names = [name for name in metrics["tuning"][0] if name != "objective"]
        lines += ["| " + " | ".join([*names, "objective"]) + " |", "|---" * (len(names) + 1) + "|"]
        for trial in metrics["tuning"]:
            lines.append("| " + " | ".join([*(f"{trial[n]:g}" for n in names), f"{trial['objective']:.3f}"]) + " |")
    if metrics.get("plots"):
        lines += ["", "Plots: " + ", ".join(f"`{p}`" for p in metrics["plots"])]
    return "\n".join(lines) + "\n"


def write_plot(metrics: dict[str, Any], folder: Path) -> str:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, axis = plt.subplots(figsize=(6.5, 4))
    for name, result in metrics["arms"].items():
        turns = list(range(len(result["precision"])))
        axis.errorbar(turns, result["precision"], yerr=result["ci95"], label=name, marker="o", capsize=3)
    axis.set_xlabel("feedback turns")
    axis.set_ylabel(f"precision@{metrics['run']['k']} of the taste (test split)")
    axis.set_ylim(0, 1)
    axis.legend(fontsize=8)
    figure.tight_layout()
    figure.savefig(folder / PLOT, dpi=90)
    plt.close(figure)
    return PLOT


def write_personalisation_report(metrics: dict[str, Any], folder: Path, plots: bool = True) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    if plots:
        metrics["plots"] = [write_plot(metrics, folder)]
    (folder / "metrics.json").write_text(json.dumps(metrics, indent=2, ensure_ascii=False))
    path = folder / "report.md"
    path.write_text(render_markdown(metrics))
    return path
