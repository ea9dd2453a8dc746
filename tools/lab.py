"""JupyterLab for this project: ``python -m tools.lab [ARGS...]`` (``make lab LAB_ARGS="..."``).

Starts JupyterLab on the repository, opening ``notebooks/00_welcome.ipynb`` (the file browser
reaches the other notebooks, ``teaching/`` and the README), where a bare ``jupyter lab`` stops or
stalls:
- as root (Docker images, lab machines) it adds ``--allow-root``, which JupyterLab demands there;
- without a screen (SSH, containers) it adds ``--no-browser``;
- once the server runs, it prints the URL to open, framed, below JupyterLab's own log.
The jupytext server extension is off here: the repository's pyproject.toml pairs each notebook
with a text source for maintainers (``make sync``); a student's save must not rewrite those.
Other arguments go to JupyterLab unchanged, e.g. ``make lab LAB_ARGS="--ip=0.0.0.0 --port=9999"``.

``python -m tools.lab --install-settings`` (part of ``make setup``) installs into the running
environment (not the user's home):
- this project's JupyterLab settings: no "Would you like to get notified about official Jupyter
  news?" pop-up, no update check — both would contact the internet;
- an IPython kernel configuration that loads ``mmlearn.notebook_hints`` in every kernel before
  the first cell runs (a NameError from running a cell too early says to run the cells above).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FIRST_PAGE = "lab/tree/notebooks/00_welcome.ipynb"  # what the URL opens, below the server root
SETTINGS = Path(__file__).resolve().parent / "lab_overrides.json"
KERNEL_CONFIG = Path(__file__).resolve().parent / "ipython_kernel_config.py"


def settings_path(prefix: str | Path = sys.prefix) -> Path:
    """Where JupyterLab in the environment at ``prefix`` reads this project's default settings
    (one file of its ``overrides.d``, so other packages' overrides stay untouched)."""
    return Path(prefix) / "share" / "jupyter" / "lab" / "settings" / "overrides.d" / "mmlearn.json"


def kernel_config_path(prefix: str | Path = sys.prefix) -> Path:
    """Where IPython kernels of the environment at ``prefix`` read their configuration
    (IPython.core.application.ENV_CONFIG_DIRS: ``sys.prefix/etc/ipython``)."""
    return Path(prefix) / "etc" / "ipython" / "ipython_kernel_config.py"


def install_settings(prefix: str | Path = sys.prefix) -> list[Path]:
    """Install the JupyterLab settings and the kernel configuration; returns both paths."""
    installed = []
    for source, target in [
        (SETTINGS, settings_path(prefix)),
        (KERNEL_CONFIG, kernel_config_path(prefix)),
    ]:
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
        installed.append(target)
    return installed


def running_as_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


def has_screen() -> bool:
    """False on a Linux machine without a graphical session (SSH, container), where opening a
    browser fails or starts a text-mode one inside the terminal."""
    if sys.platform != "linux":
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def lab_command(args: list[str], *, as_root: bool, screen: bool) -> list[str]:
    """The JupyterLab command line: ``args`` plus the flags this machine needs."""
    command = [
        sys.executable,
        "-m",
        "jupyterlab",
        str(ROOT),
        f"--LabApp.default_url=/{FIRST_PAGE}",
        "--ServerApp.jpserver_extensions=jupyterlab_jupytext=False",
    ]
    if as_root and "--allow-root" not in args:
        command.append("--allow-root")
    if not screen and "--no-browser" not in args:
        command.append("--no-browser")
    return command + args


def server_url(info: dict) -> str:
    """The URL to open, from the ``jpserver-<pid>.json`` file a running server writes."""
    token = info.get("token")
    return info["url"] + FIRST_PAGE + (f"?token={token}" if token else "")


def wait_for_server_info(pid: int, server: subprocess.Popen, timeout: float = 120) -> dict | None:
    """The server's info once it is listening; None if it exits or takes longer than ``timeout``."""
    from jupyter_core.paths import jupyter_runtime_dir

    info_file = Path(jupyter_runtime_dir()) / f"jpserver-{pid}.json"
    deadline = time.monotonic() + timeout
    while server.poll() is None and time.monotonic() < deadline:
        if info_file.exists():
            try:
                return json.loads(info_file.read_text())
            except json.JSONDecodeError:  # caught while being written
                pass
        time.sleep(0.2)
    return None


def banner(info: dict) -> str:
    """What to open, and from another computer how, framed so it stands out of the log."""
    url, port = server_url(info), info["port"]
    line = "-" * max(len(url) + 4, 72)
    return "\n".join(
        [
            "",
            line,
            "  JupyterLab is running. Open this URL in a browser:",
            "",
            f"  {url}",
            "",
            f"  From another computer over SSH: ssh -L {port}:localhost:{port} you@this-machine,",
            "  then open the URL there. Stop JupyterLab: Ctrl-C twice here.",
            line,
            "",
        ]
    )


def main(args: list[str]) -> int:
    if args == ["--install-settings"]:
        for path in install_settings():
            print(f"installed: {path}")
        return 0
    command = lab_command(args, as_root=running_as_root(), screen=has_screen())
    print(" ".join(command), flush=True)
    server = subprocess.Popen(command)
    try:
        info = wait_for_server_info(server.pid, server)
        if info is not None:
            print(banner(info), flush=True)
    except KeyboardInterrupt:  # stopped while starting: JupyterLab got the Ctrl-C too
        pass
    while True:
        try:
            return server.wait()
        except KeyboardInterrupt:  # JupyterLab got the Ctrl-C too and asks what to do
            continue


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
