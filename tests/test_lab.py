"""``make lab`` anywhere (tools/lab.py): the flags each machine needs, the settings installed with
the environment, and the real thing — JupyterLab started the way the Makefile starts it, in a
fresh container-like environment (empty home, no screen), then fetched on 127.0.0.1 and stopped
by its process group."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from helpers import stop_process_group

from tools import lab

ROOT = Path(__file__).resolve().parents[1]
NOTIFICATION = "@jupyterlab/apputils-extension:notification"


@pytest.mark.parametrize(
    "as_root, screen, args, added",
    [
        (True, False, [], ["--allow-root", "--no-browser"]),
        (False, True, [], []),
        (True, True, ["--allow-root", "--port=9999"], []),
        (False, False, ["--no-browser"], []),
    ],
)
def test_jupyterlab_gets_only_the_flags_the_machine_needs(as_root, screen, args, added):
    command = lab.lab_command(args, as_root=as_root, screen=screen)
    assert command[:4] == [sys.executable, "-m", "jupyterlab", str(ROOT / "notebooks")]
    assert command[4:] == added + args


def test_a_linux_machine_without_display_has_no_screen(monkeypatch):
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    assert not lab.has_screen()
    monkeypatch.setenv("DISPLAY", ":0")
    assert lab.has_screen()


def test_the_url_carries_the_token_and_the_banner_the_port():
    info = {"url": "http://127.0.0.1:8890/", "token": "abc", "port": 8890}
    assert lab.server_url(info) == "http://127.0.0.1:8890/lab?token=abc"
    assert lab.server_url({**info, "token": ""}) == "http://127.0.0.1:8890/lab"
    assert "ssh -L 8890:localhost:8890" in lab.banner(info)


def test_settings_go_into_the_environment_not_the_home(tmp_path):
    target = lab.install_settings(tmp_path)
    assert target == tmp_path / "share/jupyter/lab/settings/overrides.d/mmlearn.json"
    settings = json.loads(target.read_text())
    assert settings[NOTIFICATION] == {"fetchNews": "false", "checkForUpdates": False}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for_url(log: Path, server: subprocess.Popen, timeout: float = 60) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = re.search(r"^  (http://127\.0\.0\.1:\d+/lab\S*)$", log.read_text(), re.M)
        if found:
            return found.group(1)
        assert server.poll() is None, "JupyterLab exited:\n" + log.read_text()[-3000:]
        time.sleep(0.3)
    raise AssertionError("no URL printed within 60 s:\n" + log.read_text()[-3000:])


@pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() != 0,
    reason="run as root to test make lab as root (Docker images, lab machines)",
)
def test_make_lab_as_root_without_a_screen_serves_lab_with_news_off(tmp_path):
    if not lab.settings_path().is_file():
        pytest.fail(
            f"{lab.settings_path()} is missing: make setup installs it "
            "(python -m tools.lab --install-settings)"
        )
    home = tmp_path / "home"
    env = {
        "PATH": os.environ["PATH"],
        "HOME": str(home),
        "MPLBACKEND": "Agg",
        "JUPYTER_CONFIG_DIR": str(home / ".jupyter"),
        "JUPYTER_DATA_DIR": str(home / ".local/share/jupyter"),
        "JUPYTER_RUNTIME_DIR": str(home / ".local/share/jupyter/runtime"),
    }
    lab_args = ["--ip=127.0.0.1", f"--port={_free_port()}"]  # make lab LAB_ARGS="..."
    log = tmp_path / "lab.log"
    with log.open("w") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "tools.lab", *lab_args],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
    try:
        url = _wait_for_url(log, server)
        assert "--allow-root" in log.read_text() and "--no-browser" in log.read_text()
        with urllib.request.urlopen(url, timeout=30) as page:
            assert page.status == 200
            assert "JupyterLab" in page.read().decode()
        token = url.split("token=")[1]
        base = url.split("/lab?")[0]
        api = f"{base}/lab/api/settings/{NOTIFICATION}?token={token}"
        with urllib.request.urlopen(api, timeout=30) as response:
            settings = json.load(response)
        # the environment's overrides become the defaults; the (fresh) user set nothing
        defaults = {k: v.get("default") for k, v in settings["schema"]["properties"].items()}
        assert defaults["fetchNews"] == "false" and defaults["checkForUpdates"] is False
        assert settings["settings"] == {}
    finally:
        stop_process_group(server, grace=20)
