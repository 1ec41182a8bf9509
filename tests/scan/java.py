"""A Java runtime for the Spark tests: found, or installed from Debian (as root), or a reason to skip."""

from __future__ import annotations

import os
import re
import shutil
import subprocess

PACKAGE = "openjdk-17-jre-headless"


def _version() -> int | None:
    java = shutil.which("java")
    if java is None:
        return None
    done = subprocess.run([java, "-version"], capture_output=True, text=True, timeout=60)
    found = re.search(r'version "(\d+)', done.stderr + done.stdout)
    return int(found.group(1)) if found else None


def java_or_reason() -> str | None:
    """None when a Java 17+ runtime is there (after installing it if need be); otherwise why not."""
    version = _version()
    if version is not None and version >= 17:
        return None
    if shutil.which("apt-get") is None:
        return f"no Java 17+ (found {version}) and no apt-get to install {PACKAGE}"
    if os.geteuid() != 0:
        return f"no Java 17+ (found {version}) and installing {PACKAGE} needs root"
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    install = ["apt-get", "install", "-y", "--no-install-recommends", PACKAGE]
    done = subprocess.run(install, env=env, capture_output=True, text=True, timeout=900)
    if done.returncode != 0:
        subprocess.run(["apt-get", "update"], env=env, capture_output=True, text=True, timeout=600)
        done = subprocess.run(install, env=env, capture_output=True, text=True, timeout=900)
    if done.returncode != 0:
        return f"apt-get install {PACKAGE} failed: {done.stderr.strip()[-300:]}"
    version = _version()
    return None if version is not None and version >= 17 else f"{PACKAGE} installed but no Java 17+ on PATH"
