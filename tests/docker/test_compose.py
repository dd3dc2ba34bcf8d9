"""docker/compose.yml read with PyYAML (no docker here): builds exist, services agree on addresses and settings."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlparse

import pytest
import yaml

from shopguide.settings import PROJECT_ROOT, Settings

DOCKER = PROJECT_ROOT / "docker"


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((DOCKER / "compose.yml").read_text())


def environment(service: dict) -> dict[str, str]:
    env = service.get("environment") or {}
    if isinstance(env, list):
        env = dict(item.split("=", 1) for item in env)
    return {key: str(value) for key, value in env.items()}


def python_services(compose: dict) -> dict[str, dict]:
    """Services running our Python images (the action image and the Rasa image)."""
    ours = ("shopguide-actions:", "shopguide-rasa:")
    return {name: s for name, s in compose["services"].items() if str(s.get("image", "")).startswith(ours)}


def test_every_build_has_its_context_dockerfile_and_copied_paths(compose):
    built = [s["build"] for s in compose["services"].values() if "build" in s]
    assert built
    for build in built:
        context = (DOCKER / build["context"]).resolve()
        dockerfile = context / build["dockerfile"]
        assert context.is_dir() and dockerfile.is_file(), build
        for line in dockerfile.read_text().splitlines():
            if line.startswith("COPY ") and "--from" not in line:
                for source in line.split()[1:-1]:
                    assert (context / source).exists(), f"{dockerfile.name}: {source} is not in the build context"


def test_one_image_name_per_dockerfile(compose):
    images: dict[str, str] = {}
    for service in compose["services"].values():
        if "build" in service:
            assert images.setdefault(service["image"], service["build"]["dockerfile"]) == service["build"]["dockerfile"]


def test_redis_and_chroma_urls_name_real_services_and_ports(compose):
    services = compose["services"]
    redis = services["redis"]
    assert redis["command"][redis["command"].index("--appendonly") + 1] == "yes"
    chroma_command = services["chroma"]["command"]
    chroma_port = int(chroma_command[chroma_command.index("--port") + 1])
    for name, service in python_services(compose).items():
        env = environment(service)
        if name == "chroma":
            continue
        redis_url, chroma_url = urlparse(env["REDIS_URL"]), urlparse(env["CHROMA_URL"])
        assert redis_url.hostname == "redis" and (redis_url.port or 6379) == 6379, name
        assert chroma_url.hostname == "chroma" and chroma_url.port == chroma_port, name


def test_every_process_reads_the_same_settings(compose):
    envs = [environment(s) for name, s in python_services(compose).items() if name != "chroma"]
    assert all(env == envs[0] for env in envs), "every Python process must see the same settings"
    fields = {f"SHOPGUIDE_{name.upper()}" for name in Settings.model_fields} | {"REDIS_URL", "CHROMA_URL"}
    assert set(envs[0]) <= fields, f"unknown settings: {set(envs[0]) - fields}"


def test_the_var_volume_is_where_the_settings_put_it(compose):
    for name, service in python_services(compose).items():
        mounts = {m.split(":")[1]: m.split(":")[0] for m in service.get("volumes", [])}
        var_dir = environment(service).get("SHOPGUIDE_VAR_DIR")
        if var_dir:
            assert mounts.get(var_dir) == "var", f"{name} must mount the shared var volume at {var_dir}"
    assert set(compose["volumes"]) >= {"var", "redis-data", "chroma-data"}


def test_rasa_reaches_the_actions_through_nginx(compose):
    command = compose["services"]["config"]["command"]
    action_url = urlparse(command[command.index("--action-url") + 1])
    assert action_url.hostname in compose["services"]
    nginx = (DOCKER / "nginx.conf").read_text()
    assert f"listen {action_url.port};" in nginx
    upstreams = set(re.findall(r"http://([a-z-]+):(\d+);", nginx))
    assert upstreams == {("rasa", "5005"), ("actions", "5055")}
    assert all(host in compose["services"] for host, _ in upstreams)


def test_start_order_has_no_cycle(compose):
    services = compose["services"]
    state: dict[str, str] = {}

    def visit(name: str) -> None:
        assert state.get(name) != "visiting", f"dependency cycle through {name}"
        if state.get(name) == "done":
            return
        state[name] = "visiting"
        for dependency in services[name].get("depends_on") or {}:
            assert dependency in services, dependency
            visit(dependency)
        state[name] = "done"

    for name in services:
        visit(name)


def test_rasa_entrypoint_uses_the_files_the_config_step_writes():
    from shopguide.runner.deploy import MODEL_NAME_FILE

    script = (DOCKER / "rasa-entrypoint.sh").read_text()
    assert Path(DOCKER / "rasa-entrypoint.sh").stat().st_mode & 0o111, "the entrypoint must be executable"
    for file in ("endpoints.yml", "credentials.yml", MODEL_NAME_FILE):
        assert file in script
