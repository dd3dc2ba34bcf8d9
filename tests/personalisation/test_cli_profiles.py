"""`shopguide profiles import/show/forget` as separate processes: each starts the embedded Redis
(on the deployment's port and data folder) when the assistant is not running, so the data persists."""

from __future__ import annotations

import json

from tests.conftest import free_port
from tests.test_cli import cli_env, shopguide


def test_import_show_and_forget_a_shopper(tmp_path):
    env = cli_env(tmp_path / "var", SHOPGUIDE_REDIS_PORT=str(free_port()))
    history = tmp_path / "history.csv"
    history.write_text("shopper_id,item_id,date,size\nweb:ann,sku-1,2024-03-01,M\nweb:ann,sku-2,yesterday,L\n")
    imported = shopguide(env, "profiles", "import", str(history))
    assert imported.returncode == 0, imported.stderr
    assert "rejected row 3: unparsable date 'yesterday'" in imported.stdout
    assert "1 purchases added for 1 shoppers" in imported.stdout
    report = json.loads((tmp_path / "var" / "reports" / "purchases-history.json").read_text())
    assert report["added"] == 1 and report["unknown_items"] == 1 and len(report["rejected"]) == 1

    shown = shopguide(env, "profiles", "show", "web:ann")
    assert shown.returncode == 0 and json.loads(shown.stdout)["purchases"][0]["item_id"] == "sku-1"
    assert "profile deleted" in shopguide(env, "profiles", "forget", "web:ann").stdout
    gone = shopguide(env, "profiles", "show", "web:ann")
    assert gone.returncode == 1 and "no profile" in gone.stdout


def test_a_file_that_is_not_a_purchase_history_is_a_friendly_error(tmp_path):
    env = cli_env(tmp_path / "var", SHOPGUIDE_REDIS_PORT=str(free_port()))
    other = tmp_path / "other.csv"
    other.write_text("name,price\nshirt,10\n")
    failed = shopguide(env, "profiles", "import", str(other))
    assert failed.returncode == 2 and "missing columns: shopper_id, item_id, date" in failed.stderr
    assert "Traceback" not in failed.stderr
