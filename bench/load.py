"""`make load`: start the cluster, run 50 locust shoppers x 20 turns, check every tracker in Redis.

Writes bench/results-load.json and bench/results-load.md: turn latency (p50/p95/p99 per kind),
errors, the tracker check (every message answered 200 is in its conversation's tracker, in the
order sent, none lost, none doubled), cluster start-up time and the servers' memory.

    python -m bench.load                                 # starts its own cluster (var/cluster-load)
    python -m bench.load --url http://127.0.0.1:5080 --redis-url redis://127.0.0.1:5171/0   # a running one
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from collections import defaultdict
from pathlib import Path
from typing import Annotated

import psutil
import redis
import typer

from bench.run import machine
from bench.turn_latency import percentile
from shopguide.settings import PROJECT_ROOT, get_settings

RESULTS = Path(__file__).resolve().parent


def run_locust(url: str, redis_url: str, record: Path, run: str, users: int, spawn_rate: int, run_time: str) -> int:
    """Locust headless in its own process (it patches the standard library with gevent)."""
    env = {
        **os.environ,
        "REDIS_URL": redis_url,
        "SHOPGUIDE_LOAD_RUN": run,
        "SHOPGUIDE_LOAD_RECORD": str(record),
    }
    command = [str(Path(sys.executable).parent / "locust"), "-f", str(RESULTS / "locustfile.py"), "--headless"]
    command += ["--users", str(users), "--spawn-rate", str(spawn_rate), "--run-time", run_time, "--host", url]
    command += ["--csv", str(record.with_suffix("")), "--only-summary", "--stop-timeout", "130"]
    with record.with_suffix(".log").open("w") as log:
        return subprocess.run(command, cwd=PROJECT_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT).returncode


def read_turns(record: Path) -> list[dict]:
    return [json.loads(line) for line in record.read_text(encoding="utf-8").splitlines() if line.strip()]


def tracker_messages(client: redis.Redis, prefix: str, sender: str) -> list[str] | None:
    """The user messages in Rasa's tracker of `sender` (key `<prefix>:tracker:<sender>`), in order."""
    raw = client.get(f"{prefix}:tracker:{sender}")
    if raw is None:
        return None
    return [event.get("text") for event in json.loads(raw)["events"] if event.get("event") == "user"]


def check_trackers(turns: list[dict], client: redis.Redis, prefix: str) -> dict:
    """Every message answered with 200 must be in its tracker, in order; others must not be."""
    sent: dict[str, list[dict]] = defaultdict(list)
    for turn in sorted(turns, key=lambda t: (t["sender"], t["turn"])):
        sent[turn["sender"]].append(turn)
    problems: list[str] = []
    checked = 0
    for sender, conversation in sent.items():
        expected = [t["text"] for t in conversation if t["status"] == 200]
        found = tracker_messages(client, prefix, sender)
        if found is None:
            problems.append(f"{sender}: no tracker")
            continue
        checked += len(expected)
        if found != expected:
            lost = [text for text in expected if text not in found]
            problems.append(f"{sender}: expected {len(expected)} messages, tracker has {len(found)}; lost {lost[:3]}")
    return {
        "conversations": len(sent),
        "messages_checked": checked,
        "conversations_with_problems": len(problems),
        "problems": problems[:20],
        "ok": not problems and checked > 0,
    }


def latency(turns: list[dict]) -> dict:
    by_kind: dict[str, list[float]] = defaultdict(list)
    for turn in turns:
        if turn["status"] == 200:
            by_kind["all"].append(turn["ms"])
            by_kind[turn["kind"]].append(turn["ms"])
    return {
        kind: {
            "n": len(values),
            "p50_ms": round(percentile(values, 0.5)),
            "p95_ms": round(percentile(values, 0.95)),
            "p99_ms": round(percentile(values, 0.99)),
            "max_ms": round(max(values)),
        }
        for kind, values in by_kind.items()
        if values
    }


def errors(turns: list[dict]) -> dict:
    statuses: dict[str, int] = defaultdict(int)
    for turn in turns:
        if turn["status"] != 200:
            statuses[str(turn["status"])] += 1
    return {
        "requests": len(turns),
        "http_errors": sum(statuses.values()),
        "by_status": dict(statuses),
        "fallback_answers": sum(1 for t in turns if t["status"] == 200 and t["fallback"]),
    }


def memory_mb(processes: dict) -> dict[str, int]:
    """Resident memory of each server (its whole process tree), in MB."""
    sizes = {}
    for name, process in processes.items():
        if process.process is None or process.process.poll() is not None:
            continue
        root = psutil.Process(process.process.pid)
        tree = [root, *root.children(recursive=True)]
        sizes[name] = round(sum(p.memory_info().rss for p in tree) / 1e6)
    return sizes


def markdown(results: dict) -> str:
    setup, check, errs = results["setup"], results["trackers"], results["errors"]
    by_status = f" {errs['by_status']}" if errs["by_status"] else ""
    lines = [
        f"# Load test ({results['machine']['date']}, {results['machine']['cpus']} CPUs, no GPU)",
        "",
        f"{setup['users']} locust shoppers x {setup['turns']} turns (spawn rate {setup['spawn_rate']}/s, think time "
        f"1-3 s) against {setup['cluster']}; locust ran on the same machine. Run `{results['run']}`, "
        f"{results['seconds']} s.",
        "",
        "| turns | n | p50 ms | p95 ms | p99 ms | max ms |",
        "|---|---|---|---|---|---|",
        *(
            f"| {kind} | {s['n']} | {s['p50_ms']} | {s['p95_ms']} | {s['p99_ms']} | {s['max_ms']} |"
            for kind, s in results["latency"].items()
        ),
        "",
        f"Requests {errs['requests']}, HTTP errors {errs['http_errors']}{by_status}, "
        f'fallback answers ("could not answer") {errs["fallback_answers"]}; throughput '
        f"{results['turns_per_s']} turns/s.",
        "",
        f"**Trackers**: {check['conversations']} conversations, {check['messages_checked']} messages checked in "
        f"Redis: {'every message present, in order' if check['ok'] else 'PROBLEMS'}"
        f"{'' if check['ok'] else ': ' + '; '.join(check['problems'][:5])}.",
        "",
        f"Cluster start-up: {results['start_s']} s. Memory after the run (MB): "
        + ", ".join(f"{name} {mb}" for name, mb in results["memory_mb"].items())
        + ".",
        "",
        f"Load average (1 min) at the end of the run: {results['load_average']}; on 2 cores the servers, locust and "
        "anything else on the machine share the CPUs, so the latencies are those of a saturated machine.",
    ]
    return "\n".join(lines) + "\n"


def main(
    users: Annotated[int, typer.Option(help="Shoppers")] = 50,
    turns: Annotated[int, typer.Option(help="Turns per shopper")] = 20,
    spawn_rate: Annotated[int, typer.Option(help="Shoppers started per second")] = 10,
    run_time: Annotated[str, typer.Option(help="Upper bound of the locust run")] = "20m",
    port: Annotated[int, typer.Option(help="nginx port of the cluster this starts")] = 5280,
    url: Annotated[str | None, typer.Option(help="Use a running cluster at this URL")] = None,
    redis_url: Annotated[str | None, typer.Option(help="Its Redis (with --url)")] = None,
    out: Annotated[Path, typer.Option(help="Results folder")] = RESULTS,
) -> None:
    """Start the cluster (unless --url), run the shoppers, check the trackers, write the results."""
    from shopguide.runner.cluster import Cluster, ClusterLayout

    base = get_settings()
    os.environ["SHOPGUIDE_LOAD_TURNS"] = str(turns)
    run = uuid.uuid4().hex[:8]
    work = base.var_dir / "load"
    work.mkdir(parents=True, exist_ok=True)
    record = work / f"turns-{run}.jsonl"
    if url is None:
        # loopback: every shopper has the same address, so the per-address upload limit is raised
        base = base.model_copy(update={"uploads_per_minute_per_address": 100_000})
        layout = ClusterLayout.numbered(base.var_dir / "cluster-load", port, 2, "127.0.0.1")
        cluster: Cluster | None = Cluster(base, layout, report=print)
        url, redis_url = f"http://{layout.host}:{layout.port}", layout.redis_url
    elif not redis_url:
        raise typer.BadParameter("give --redis-url with --url", param_hint="--redis-url")
    else:
        cluster = None
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))  # so that the cluster is stopped
    start_s = None
    try:
        if cluster:
            start_s = round(cluster.start(), 1)
            print(f"cluster ready in {start_s} s at {url}")
        started = time.monotonic()
        code = run_locust(url, redis_url, record, run, users, spawn_rate, run_time)
        seconds = round(time.monotonic() - started, 1)
        recorded = read_turns(record) if record.exists() else []
        trackers = check_trackers(recorded, redis.Redis.from_url(redis_url), base.collection_prefix)
        memory = memory_mb(cluster.processes) if cluster else {}
    finally:
        if cluster:
            cluster.stop()
    results = {
        "run": run,
        "machine": machine(),
        "setup": {
            "users": users,
            "turns": turns,
            "spawn_rate": spawn_rate,
            "cluster": "2 Rasa servers + 2 action servers behind nginx, Redis and Chroma servers (shopguide cluster)",
            "locust_exit_code": code,
        },
        "seconds": seconds,
        "turns_per_s": round(len(recorded) / seconds, 2) if seconds else None,
        "start_s": start_s,
        "latency": latency(recorded),
        "errors": errors(recorded),
        "trackers": trackers,
        "memory_mb": memory,
        "load_average": round(os.getloadavg()[0], 1),
    }
    out.mkdir(parents=True, exist_ok=True)
    (out / "results-load.json").write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    (out / "results-load.md").write_text(markdown(results))
    print(markdown(results))
    if not trackers["ok"] or results["errors"]["http_errors"]:
        raise typer.Exit(1)


if __name__ == "__main__":
    typer.run(main)
