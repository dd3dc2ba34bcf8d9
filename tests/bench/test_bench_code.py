"""The benchmark code runs: `make bench` takes about an hour, so CI runs its parts at toy sizes.

These check that each part measures and reports, not how fast anything is (timing aims live in
bench/results.md, never in tests).
"""

from __future__ import annotations

import json

from bench import run as bench_run
from bench import turn_latency, vector_query


def test_vector_query_measures_both_strategies_and_the_table_shows_them():
    measured = vector_query.run(sizes=(300,), queries=5, stores="embedded", n=10)

    rows = measured["results"]
    assert {row["strategy"] for row in rows.values()} == set(vector_query.STRATEGIES)
    for row in rows.values():
        assert row["items"] == 300 and row["queries"] == 5
        assert 0 < row["mean_results"] <= 10
        assert 0 < row["p50_ms"] <= row["p95_ms"]
    committed = json.loads((bench_run.RESULTS / "results.json").read_text())
    table = bench_run.markdown(committed | {"vector_query": measured})
    assert "| embedded | 300 | 512 | probe, then filter | 10 |" in table


def test_turn_latency_times_every_kind_of_turn_on_a_running_assistant(assistant):
    photo = next((assistant.settings.var_dir / "demo" / "images").glob("*.jpg")).read_bytes()

    latency = turn_latency.single_shopper_latency(assistant.base_url, photo, rounds=1)

    assert set(latency) == {"bare", "recommendation", "refinement", "photo", "bare, turn 10"}
    assert all(kind["n"] == 1 and kind["p50_ms"] > 0 for kind in latency.values())


def test_concurrent_shoppers_are_counted(assistant):
    throughput = turn_latency.concurrent_throughput(assistant.base_url, shoppers=2, turns_each=2)

    assert throughput["turns"] == 4 and throughput["turns_per_s"] > 0


def test_the_wake_up_cost_is_measured_and_reported(assistant):
    wake_up = turn_latency.wake_up_cost(f"http://127.0.0.1:{assistant.settings.action_port}/health", rounds=3)

    assert wake_up["back_to_back"]["n"] == wake_up["after_idle"]["n"] == 3
    committed = json.loads((bench_run.RESULTS / "results.json").read_text())
    table = bench_run.markdown(committed | {"turns": committed["turns"] | {"action_server_wake_up": wake_up}})
    assert "after 5 ms of quiet" in table
