"""The command line as a retailer uses it: separate processes on one var/ folder."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

SHOPGUIDE = str(Path(sys.executable).parent / "shopguide")


def cli_env(var_dir: Path, **extra: str) -> dict[str, str]:
    env = {**os.environ, "SHOPGUIDE_VAR_DIR": str(var_dir), "SHOPGUIDE_INGEST_BATCH_SIZE": "16", **extra}
    env.pop("REDIS_URL", None)
    env.pop("CHROMA_URL", None)
    return env


def shopguide(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([SHOPGUIDE, *args], env=env, capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="module")
def demo_200(tmp_path_factory) -> Path:
    from data.demo_catalogue import generate

    return generate(tmp_path_factory.mktemp("demo200"), n_items=200, seed=5)


def test_interrupted_ingest_finishes_on_rerun(tmp_path, demo_200):
    env = cli_env(tmp_path / "var")
    thumbnails = tmp_path / "var" / "thumbnails"
    process = subprocess.Popen(
        [SHOPGUIDE, "ingest", str(demo_200), "--no-progress"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and len(list(thumbnails.glob("*.jpg"))) < 48 and process.poll() is None:
        time.sleep(0.1)
    process.kill()
    process.wait()
    assert process.returncode != 0, "the ingest finished before it could be interrupted"
    done = shopguide(env, "ingest", str(demo_200), "--no-progress")
    assert done.returncode == 0, done.stderr
    report = json.loads((tmp_path / "var" / "reports" / "ingest-catalogue.json").read_text())
    assert report["new"] + report["unchanged"] == 200 and report["unchanged"] >= 32
    assert report["stored"] == 200


def test_search_prints_ranked_items_scores_and_filters(tmp_path, demo_catalogue):
    env = cli_env(tmp_path / "var")
    assert shopguide(env, "ingest", str(demo_catalogue), "--no-progress").returncode == 0
    found = shopguide(env, "search", "black jeans under 200", "--k", "3", "--json")
    assert found.returncode == 0, found.stderr
    answer = json.loads(found.stdout)
    assert answer["filters"]["categories"] == ["jeans"] and answer["filters"]["price_max"] == 200
    assert 0 < len(answer["items"]) <= 3 and all("text" in i["scores"] for i in answer["items"])
    table = shopguide(env, "search", "black jeans under 200")
    assert "filters: category=jeans colour=black price<=200" in table.stdout


def test_search_with_a_photo(tmp_path, demo_catalogue):
    env = cli_env(tmp_path / "var")
    shopguide(env, "ingest", str(demo_catalogue), "--no-progress")
    first = json.loads(demo_catalogue.read_text().splitlines()[0])
    photo = demo_catalogue.parent / first["image"]
    found = json.loads(shopguide(env, "search", "--image", str(photo), "--json").stdout)
    assert found["items"][0]["id"] == first["id"]
    assert found["items"][0]["scores"]["image"] > 0.99


def test_bad_input_gets_a_clear_error(tmp_path):
    env = cli_env(tmp_path / "var")
    missing = shopguide(env, "ingest", str(tmp_path / "nope.csv"))
    assert missing.returncode == 2 and "no such file" in missing.stderr
    (tmp_path / "c.csv").write_text("id,title\n1,x\n")
    bad_map = shopguide(env, "ingest", str(tmp_path / "c.csv"), "--map", "title")
    assert bad_map.returncode == 2 and "field=column" in bad_map.stderr
    (tmp_path / "notes.jpg").write_text("not an image")
    bad_photo = shopguide(env, "search", "--image", str(tmp_path / "notes.jpg"))
    assert bad_photo.returncode == 2 and "not a supported image" in bad_photo.stderr
    assert "Traceback" not in missing.stderr + bad_map.stderr + bad_photo.stderr
