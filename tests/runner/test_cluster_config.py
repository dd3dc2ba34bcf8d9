"""`shopguide cluster` without starting it: ports, settings, and the nginx configuration it writes."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from shopguide.runner.cluster import ClusterLayout, cluster_settings, nginx_config


def test_numbered_ports_do_not_collide(tmp_path):
    layout = ClusterLayout.numbered(tmp_path, 6000, servers=3)
    ports = [layout.port, layout.action_port, *layout.rasa_ports, *layout.action_ports]
    ports += [layout.redis_port, layout.chroma_port]
    assert len(set(ports)) == len(ports) == 10
    assert layout.base_url == "http://127.0.0.1:6000/webhooks/web"


def test_cluster_settings_share_the_catalogue_and_models_but_not_the_stores(settings, tmp_path):
    settings.catalogue_path = tmp_path / "shop.jsonl"
    layout = ClusterLayout.numbered(tmp_path / "cluster", 6000)
    ours = cluster_settings(settings, layout)
    assert ours.var_dir == tmp_path / "cluster" and ours.catalogue_path == settings.catalogue_path
    assert ours.joint_model_path == settings.joint_model_path
    assert ours.trained_models_dir == settings.trained_models_dir
    assert (ours.redis_url, ours.chroma_url) == (layout.redis_url, layout.chroma_url)
    assert ours.thumbnails_dir == tmp_path / "cluster" / "thumbnails"


def test_nginx_balances_both_pairs_on_loopback(tmp_path):
    layout = ClusterLayout.numbered(tmp_path, 6000)
    config = nginx_config(layout, max_body_bytes=10_000_000)
    assert "listen 127.0.0.1:6000;" in config and "listen 127.0.0.1:6001;" in config
    for port in (*layout.rasa_ports, *layout.action_ports):
        assert f"server 127.0.0.1:{port} " in config
    assert "client_max_body_size 12m;" in config
    assert str(tmp_path) in config and "/var/log/nginx" not in config


@pytest.mark.skipif(shutil.which("nginx", path="/usr/sbin:/usr/bin") is None, reason="nginx is not installed")
def test_nginx_accepts_the_configuration(tmp_path):
    layout = ClusterLayout.numbered(tmp_path, 6000)
    for folder in (layout.logs, tmp_path / "nginx"):
        folder.mkdir(parents=True, exist_ok=True)
    (tmp_path / "nginx" / "nginx.conf").write_text(nginx_config(layout, 10_000_000))
    nginx = shutil.which("nginx", path="/usr/sbin:/usr/bin")
    command = [nginx, "-t", "-p", str(tmp_path / "nginx"), "-c", str(tmp_path / "nginx" / "nginx.conf")]
    done = subprocess.run([*command, "-e", str(layout.logs / "e.log")], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
