"""`make bench`: run the benchmarks, write bench/results.json and bench/results.md."""

from __future__ import annotations

import json
import os
import platform
import time
from pathlib import Path

import typer

from bench import ingest_speed, vector_query

RESULTS = Path(__file__).resolve().parent


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
        f"k={results['vector_query']['k']}.",
        "",
        "| items | dim | p50 ms | p95 ms | queries | mean results | insert/s |",
        "|---|---|---|---|---|---|---|",
    ]
    for row in results["vector_query"]["results"].values():
        lines.append(
            f"| {row['items']:,} | {row['dim']} | {row['p50_ms']} | {row['p95_ms']} | {row['queries']} | "
            f"{row['mean_results']} | {row['insert_per_s']:,} |"
        )
    return "\n".join(lines) + "\n"


def main(items: int = 500, sizes: str = "10000,100000", queries: int = 300) -> None:
    results = {
        "machine": machine(),
        "ingest": ingest_speed.run(items),
        "vector_query": vector_query.run(tuple(int(s) for s in sizes.split(",")), queries=queries),
    }
    (RESULTS / "results.json").write_text(json.dumps(results, indent=2))
    (RESULTS / "results.md").write_text(markdown(results))
    print(markdown(results))


if __name__ == "__main__":
    typer.run(main)
