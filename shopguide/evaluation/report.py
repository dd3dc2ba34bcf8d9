"""Writing an evaluation: ``metrics.json`` (every figure), ``report.md`` (tables) and PNG plots."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from shopguide.evaluation.tasks import ASSISTANT_METHOD, METADATA_PHOTO_METHOD

TARGETS = {
    "text -> image R@10": 0.85,
    "text -> image R@1": 0.45,
    "text -> image MRR": 0.60,
    "attribute P@10, images only (en)": 0.75,
    "attribute P@10, with metadata (en)": 0.95,
    "phone photo category P@10, images only": 0.70,
}


def headline(metrics: dict[str, Any]) -> dict[str, float]:
    """The figures the issue sets targets for, from the best image-only method of each task."""
    t2i = metrics["text_to_image"][ASSISTANT_METHOD]
    attr = metrics["attribute_queries"]
    out = {
        "text -> image R@10": t2i["R@10"],
        "text -> image R@1": t2i["R@1"],
        "text -> image MRR": t2i["MRR"],
        "attribute P@10, images only (en)": attr["en"][ASSISTANT_METHOD],
        "attribute P@10, images only (zh)": attr["zh"][ASSISTANT_METHOD],
        "attribute P@10, with metadata (en)": attr["en"]["metadata filter + joint"],
        "attribute P@10, with metadata (zh)": attr["zh"]["metadata filter + joint"],
    }
    if metrics.get("photo_to_catalogue"):
        photo = metrics["photo_to_catalogue"]
        images_only = [v for k, v in photo.items() if k != "photos" and "(metadata)" not in k]
        out["phone photo category P@10, images only"] = max(images_only)
        if METADATA_PHOTO_METHOD in photo:
            out["phone photo category P@10, with metadata"] = photo[METADATA_PHOTO_METHOD]
    return out


def _table(rows: dict[str, dict[str, float]], columns: list[str]) -> list[str]:
    lines = ["| method | " + " | ".join(columns) + " |", "|---" * (len(columns) + 1) + "|"]
    for name, values in rows.items():
        cells = [f"{values[c]:.3f}" if isinstance(values.get(c), float) else str(values.get(c, "")) for c in columns]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return lines


def _classes_line(info: dict[str, Any]) -> str:
    """What the attribute heads learnt: classes per attribute, and where brands came from."""
    classes = info.get("classes", {})
    if not classes:
        return ""
    brands = f" (brands: {info['brands']})" if "brand" in classes and info.get("brands") else ""
    return "Attribute heads: " + ", ".join(f"{name} {count} classes" for name, count in classes.items()) + brands + "."


def render_markdown(metrics: dict[str, Any]) -> str:
    info = metrics["run"]
    lines = [
        f"# Evaluation: {info['name']}",
        "",
        f"Catalogue `{info['catalogue']}`; split by a hash of the item id: {info['sizes']['train']} train, "
        f"{info['sizes']['validation']} validation (inside train: early stopping, calibration, fusion weight), "
        f"**{info['sizes']['test']} test items: every figure below is on the test split** (image-only index "
        "unless a method says metadata).",
        f"Towers: {info['image_tower']} + {info['text_tower']}. Timings (s): "
        + ", ".join(f"{k} {v:.1f}" for k, v in info["timings_s"].items())
        + ".",
        _classes_line(info),
        "",
        "## Headline against the targets",
        "",
        "| figure | value | target |",
        "|---|---|---|",
    ]
    for name, value in metrics["headline"].items():
        lines.append(f"| {name} | {value:.3f} | {TARGETS.get(name, '')} |")
    lines += ["", "## 1. Text -> image (title as query)", ""]
    lines += _table(metrics["text_to_image"], ["R@1", "R@10", "MRR"])
    attr = metrics["attribute_queries"]
    lines += ["", f"## 2. Attribute queries ({attr['queries']} colour+type+gender combinations, >= 10 test items)", ""]
    lines += _table({m: {"en": attr["en"][m], "zh": attr["zh"][m]} for m in attr["en"]}, ["en", "zh"])
    lines += ["", f"Examples: `{attr['examples']['en']}` / `{attr['examples']['zh']}`."]
    if metrics.get("photo_to_catalogue"):
        photo = metrics["photo_to_catalogue"]
        lines += ["", f"## 3. Phone photo -> catalogue ({photo['photos']} photos, category precision@10)", ""]
        lines += _table({k: {"P@10": v} for k, v in photo.items() if k != "photos"}, ["P@10"])
        if metrics.get("photo_category_read"):
            read = metrics["photo_category_read"]
            lines += ["", "The photo's most likely category is one its label maps to (a conversation filters by it): "]
            lines[-1] += ", ".join(f"{k} {v:.3f}" for k, v in read.items()) + "."
        lines += ["", "Per photo label (image cosine + category agreement):", ""]
        lines += _table({k: {"P@10": v} for k, v in metrics["photo_by_label"].items()}, ["P@10"])
    comp = metrics["composed"]
    lines += ["", f"## 4. Composed queries: photo + 'in <colour>' ({comp['queries']} queries)", ""]
    lines += _table(comp["methods"], ["hit@10", "P@10"])
    lines += ["", f"Weighted fusion image weight {comp['weighted image weight']} (chosen on validation triplets)."]
    if metrics.get("photo_look"):
        look = metrics["photo_look"]
        title = f"## 5. A shopper's photo or picked item in a conversation ({look['queries']} test photos as queries)"
        lines += ["", title, ""]
        lines += [
            "Under its category (a photo: the one the heads read, the photo turn's filter), ranked by its image "
            "vector and words in the text and joint spaces; precision@10 of the photo's own colour and pattern.",
            "",
        ]
        methods = {k: v for k, v in look.items() if k != "queries"}
        lines += _table(methods, sorted({column for values in methods.values() for column in values}))
    lines += ["", "## Attribute heads (test split, temperature fitted on validation)", ""]
    lines += _table({k: {"accuracy": v} for k, v in metrics["attributes"]["test_accuracy"].items()}, ["accuracy"])
    lines += [
        "",
        "Expected calibration error on the test split: "
        + ", ".join(f"{k} {v:.3f}" for k, v in metrics["attributes"]["test_ece"].items())
        + ".",
    ]
    lines += ["", "## Choices", ""] + [f"- {c}" for c in metrics.get("choices", [])]
    lines += ["", "Plots: " + ", ".join(f"`{p}`" for p in metrics.get("plots", []))]
    return "\n".join(lines) + "\n"


def write_plots(metrics: dict[str, Any], folder: Path) -> list[str]:
    """PNG bar charts per task and the training curve; returns the file names written."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    written = []

    def bars(name: str, values: dict[str, float], title: str) -> None:
        figure, axis = plt.subplots(figsize=(8, 0.45 * len(values) + 1.2))
        axis.barh(list(values), list(values.values()), color="#4a7ab5")
        axis.set_xlim(0, 1)
        axis.invert_yaxis()
        axis.set_title(title)
        for y, v in enumerate(values.values()):
            axis.text(min(v, 0.9) + 0.01, y, f"{v:.2f}", va="center")
        figure.tight_layout()
        figure.savefig(folder / name, dpi=90)
        plt.close(figure)
        written.append(name)

    bars("text_to_image_r10.png", {k: v["R@10"] for k, v in metrics["text_to_image"].items()}, "text -> image R@10")
    attr = metrics["attribute_queries"]
    for language in ("en", "zh"):
        values = {k: v for k, v in attr[language].items() if k != "parsed all three"}
        bars(f"attribute_p10_{language}.png", values, f"attribute queries P@10 ({language})")
    if metrics.get("photo_by_label"):
        bars("photo_p10_by_label.png", metrics["photo_by_label"], "phone photo category P@10 by label")
    bars("composed_hit10.png", {k: v["hit@10"] for k, v in metrics["composed"]["methods"].items()}, "composed hit@10")
    history = metrics["training"]["alignment_history"]
    figure, axis = plt.subplots(figsize=(6, 3.5))
    axis.plot([h["epoch"] for h in history], [h["train_loss"] for h in history], label="train")
    axis.plot([h["epoch"] for h in history], [h["val_loss"] for h in history], label="validation")
    axis.set_xlabel("epoch")
    axis.set_ylabel("contrastive loss")
    axis.legend()
    figure.tight_layout()
    figure.savefig(folder / "alignment_loss.png", dpi=90)
    plt.close(figure)
    written.append("alignment_loss.png")
    return written


def write_report(metrics: dict[str, Any], folder: Path, plots: bool = True) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    metrics["headline"] = headline(metrics)
    if plots:
        metrics["plots"] = write_plots(metrics, folder)
    (folder / "metrics.json").write_text(json.dumps(metrics, indent=2, ensure_ascii=False))
    path = folder / "report.md"
    path.write_text(render_markdown(metrics))
    return path
