"""`make bench`: run the benchmarks, write bench/results.json and bench/results.md."""

from __future__ import annotations

import json
import os
import platform
import tempfile
import time
from pathlib import Path

import typer

from bench import ingest_speed, model_speed, turn_latency, vector_query
from shopguide.settings import shared_data_dir

RESULTS = Path(__file__).resolve().parent


def bench_photos(count: int) -> list[Path]:
    """Real phone photos of garments (the model benchmark needs the shared data)."""
    photos = sorted((shared_data_dir() / "clothing-cc0" / "images").glob("*.jpg"))[:count]
    if not photos:
        raise SystemExit(f"the model benchmark needs the shared data at {shared_data_dir()}")
    return photos


def bench_photo() -> Path:
    """A real phone photo of a garment when the shared data is there, else a demo product photo."""
    shared = shared_data_dir()
    photos = sorted((shared / "clothing-cc0" / "images").glob("*.jpg"))[:1]
    if photos:
        return photos[0]
    from data.demo_catalogue import generate

    folder = Path(tempfile.mkdtemp(prefix="shopguide-photo-"))
    generate(folder, n_items=1, seed=1)
    return next((folder / "images").glob("*.jpg"))


def machine() -> dict:
    return {
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "date": time.strftime("%Y-%m-%d %H:%M"),
    }


def markdown(results: dict) -> str:
    ingest = results["ingest"]
    lines = [
        f"# Benchmarks ({results['machine']['date']}, {results['machine']['cpus']} CPUs, no GPU)",
        "",
        "## Ingest",
        "",
        "| data | items | seconds | items/s | re-ingest unchanged (s) |",
        "|---|---|---|---|---|",
        f"| {ingest['data']} | {ingest['items']} | {ingest['seconds']} | {ingest['items_per_s']} | "
        f"{ingest['reingest_unchanged_seconds']} |",
        "",
        f"Encoder `{ingest['encoder']}`, batch {ingest['batch_size']}, {ingest['threads']} threads.",
        "",
        "## Filtered vector query",
        "",
        f"{results['vector_query']['store']}; filters: {results['vector_query']['filters']}; "
        f"vectors: {results['vector_query'].get('vectors', 'random noise')}; n = results asked per query "
        "(a search asks for its candidate pool, 100); rows without a strategy were measured before the probe "
        "existed, with random-noise vectors; columns built: seconds to build the filter columns (once per "
        "catalogue generation, in the background).",
        "",
        "| store | items | dim | strategy | n | p50 ms | p95 ms | answered by the probe | queries | mean results "
        "| insert/s | columns built s | measured |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for row in results["vector_query"]["results"].values():
        lines.append(
            f"| {row.get('store', 'embedded')} | {row['items']:,} | {row['dim']} | "
            f"{row.get('strategy', 'chroma filter')} | {row.get('n', 10)} | {row['p50_ms']} | {row['p95_ms']} | "
            f"{row.get('answered_by_probe', '')} | "
            f"{row['queries']} | {row['mean_results']} | {row['insert_per_s']:,} | {row.get('columns_build_s', '')} | "
            f"{row.get('measured', '')} |"
        )
    if "model" in results:
        lines += model_markdown(results["model"])
    if "turns" in results:
        lines += turn_markdown(results["turns"])
    return "\n".join(lines) + "\n"


def model_markdown(model: dict) -> list[str]:
    training = model["training"]
    rows = [
        ("photo, one (decode + mirrored network + colour + projection)", model["photo_single"]),
        ("photo, per image in batches of 32 (ingest)", model["photo_batch_32_per_image"]),
        ("text, one (tower + projection)", model["text_single"]),
        (f"fused query: photo + words -> filtered query of {model['gallery_items']} items", model["fused_query"]),
    ]
    return [
        "",
        "## Model",
        "",
        f"Training from nothing cached on myntra ({training['items']['train']} train + "
        f"{training['items']['validation']} validation items; {training['what']}): **{training['seconds']} s**.",
        "",
        "| what | p50 ms | p95 ms |",
        "|---|---|---|",
        *[f"| {name} | {row['p50_ms']} | {row['p95_ms']} |" for name, row in rows],
        "",
        f"Encoder `{model['encoder']}`; aims: a photo under 50 ms, a text under 15 ms.",
    ]


def turn_markdown(turns: dict) -> list[str]:
    lines = [
        "",
        f"## Turn latency ({turns['catalogue']}, web channel over HTTP, one shopper at a time)",
        "",
        "| turn | n | p50 ms | p95 ms | p95 / bare p95 |",
        "|---|---|---|---|---|",
    ]
    bare = turns["latency"]["bare"]["p95_ms"]
    for kind, row in turns["latency"].items():
        lines.append(f"| {kind} | {row['n']} | {row['p50_ms']} | {row['p95_ms']} | {row['p95_ms'] / bare:.2f} |")
    lines += [
        "",
        "Bare is a conversation's first turn, and each measured turn follows it in the same conversation. "
        "Rasa's Redis tracker store reads and writes the whole conversation on every turn (the speedups "
        "in bot/rasa_speedups.py spare the second read when saving), so a turn costs more as a "
        "conversation grows: the last row. 100 rounds: with 30, a p95 is nearly the largest sample, and "
        "three runs on 2026-11-29 gave 36.8, 44.2 and 42.7 ms for recommendations.",
        "",
        "## Concurrent shoppers",
        "",
        "| shoppers | turns | turns/s | p50 ms | p95 ms |",
        "|---|---|---|---|---|",
    ]
    for row in turns["throughput"]:
        lines.append(
            f"| {row['shoppers']} | {row['turns']} | {row['turns_per_s']} | {row['p50_ms']} | {row['p95_ms']} |"
        )
    memory = ", ".join(f"{name} {mb:,.0f} MB" for name, mb in turns["memory_mb"].items())
    lines += _wake_up_markdown(turns.get("action_server_wake_up"))
    lines += [
        "",
        f"Start to ready (a start with everything cached): {turns['start_to_ready_s']} s; Rasa alone loading the "
        f"same model: {turns['rasa_alone_ready_s']} s (ratio {turns['start_ratio']}){_pairs(turns)}. "
        f"Resident memory: {memory}.",
    ]
    return lines


def _pairs(turns: dict) -> str:
    """The start pairs behind the medians (results from before they were measured in pairs have none)."""
    pairs = turns.get("start_pairs_s")
    if not pairs:
        return ""
    shown = ", ".join(f"{ours} / {alone}" for ours, alone in pairs)
    return f"; medians of {len(pairs)} measured in turn, ours / Rasa alone in s: {shown}"


def _wake_up_markdown(wake_up: dict | None) -> list[str]:
    if not wake_up:
        return []
    quick, idle = wake_up["back_to_back"], wake_up["after_idle"]
    return [
        "",
        f"Hand-off cost on this machine: the action server's `/health` answers in {quick['p50_ms']} ms (p95 "
        f"{quick['p95_ms']}) when asked straight after its previous answer, {idle['p50_ms']} ms (p95 "
        f"{idle['p95_ms']}) after {wake_up['idle_ms']:g} ms of quiet: idle vCPUs halt, and a process woken "
        "from them runs cold. Each action server call of a turn is such a hand-off: a bare turn makes one, a "
        "recommendation turn two (the slot validation, and the form's validation, which answers with the "
        "cards).",
    ]


def main(
    items: int = 500,
    sizes: str = "10000,100000",
    queries: int = 300,
    stores: str = typer.Option("embedded,server", help="Chroma stores for the vector benchmark"),
    parts: str = typer.Option("ingest,model,vectors,turns", help="Benchmarks to run; the others keep their results"),
) -> None:
    path = RESULTS / "results.json"
    results = json.loads(path.read_text()) if path.exists() else {}
    previous = dict(results)
    runs = {  # part -> (results key, benchmark)
        "ingest": ("ingest", lambda: ingest_speed.run(items)),
        "vectors": (
            "vector_query",
            lambda: vector_query.run(tuple(int(s) for s in sizes.split(",")), queries=queries, stores=stores),
        ),
        "turns": ("turns", lambda: turn_latency.run(bench_photo())),
        "model": ("model", lambda: model_speed.run(shared_data_dir(), bench_photos(10))),
    }
    for part in parts.split(","):
        key, run = runs[part.strip()]
        measured = time.strftime("%Y-%m-%d %H:%M")
        results[key] = run() | {"measured": measured}
        if key == "vector_query":  # rows of other sizes and stores keep their earlier measurements
            for row in results[key]["results"].values():
                row["measured"] = measured
            old = (previous.get(key) or {}).get("results", {})
            results[key]["results"] = {**old, **results[key]["results"]}
    results["machine"] = machine()
    path.write_text(json.dumps(results, indent=2))
    (RESULTS / "results.md").write_text(markdown(results))
    print(markdown(results))


if __name__ == "__main__":
    typer.run(main)
