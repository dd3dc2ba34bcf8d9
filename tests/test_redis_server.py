"""The embedded Redis is a real server: TCP, persistence, clean stop."""

from __future__ import annotations

import socket

import pytest
import redis

from shopguide.errors import SetupError
from shopguide.redis_server import EmbeddedRedis
from tests.conftest import free_port


def port_open(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


def test_starts_serves_persists_and_stops(tmp_path):
    port = free_port()
    server = EmbeddedRedis(port, tmp_path / "redis")
    with server:
        client = redis.Redis.from_url(server.url)
        client.set("greeting", "你好")
        assert client.get("greeting").decode() == "你好"
        assert client.info("server")["tcp_port"] == port
    assert server.process.returncode == 0
    assert not port_open(port)
    with EmbeddedRedis(port, tmp_path / "redis") as again:  # the append-only file brings the data back
        assert redis.Redis.from_url(again.url).get("greeting").decode() == "你好"


def test_port_in_use_is_a_clear_error(tmp_path):
    port = free_port()
    with EmbeddedRedis(port, tmp_path / "a"), pytest.raises(SetupError, match="port"):
        EmbeddedRedis(port, tmp_path / "b").start()
