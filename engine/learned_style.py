"""A style learned from one painting: the numbers that condition the painting network's norms
(the style predictor's vector and what learning added to every norm's scale and shift), and a
small file that keeps them, checksummed, with the painting's checksum and the network's.

A file that is damaged, was learned for another network or for another painting is refused with
one sentence saying which (``LearnedStyleError``).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .errors import ImpastoError
from .io.atomic import atomic_write
from .networks import STYLE_TRANSFORMER, STYLE_VECTOR_SIZE
from .networks.style_transformer import NORM_SHIFTS
from .picture import Picture

LEARNED_STYLE_SUFFIX = ".impasto-style"
FORMAT, VERSION = "impasto-learned-style", 1
CONDITIONING_SIZE = STYLE_VECTOR_SIZE + NORM_SHIFTS
MAX_FILE_BYTES = 1 << 20


class LearnedStyleError(ImpastoError):
    """A learned style that cannot be used, in one sentence."""


@dataclass(frozen=True, eq=False)
class LearnedStyle:
    conditioning: np.ndarray  # (CONDITIONING_SIZE,) float32: the vector, then the norms' shifts
    painting_hash: str  # Picture.content_hash of the painting it was learned from
    network_sha256: str  # of the painting network's weights file it was learned for
    steps: int
    loss: float  # the last step's, relative to the first's
    seconds: float  # spent learning, all sittings together

    def fits(self, painting: Picture) -> bool:
        return self.painting_hash == painting.content_hash


def network_sha256() -> str:
    """The checksum of the painting network's weights, as the manifest pins it."""
    from .weights import verified_weights_file

    path = verified_weights_file(STYLE_TRANSFORMER)
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _checksum(conditioning: np.ndarray, fields: dict) -> str:
    digest = hashlib.sha256(np.ascontiguousarray(conditioning, dtype="<f4").tobytes())
    digest.update(json.dumps(fields, sort_keys=True).encode())
    return digest.hexdigest()


def save_learned(learned: LearnedStyle, path: Path, overwrite: bool = True) -> Path:
    """Write ``learned`` to ``path`` atomically (a kill mid-write leaves the old file or none)."""
    from safetensors.numpy import save

    fields = {"format": FORMAT, "version": VERSION, "painting": learned.painting_hash,
              "network": learned.network_sha256, "steps": learned.steps, "loss": learned.loss,
              "seconds": learned.seconds}
    conditioning = np.ascontiguousarray(learned.conditioning, dtype=np.float32)
    data = save({"conditioning": conditioning},
                metadata={"fields": json.dumps(fields), "checksum": _checksum(conditioning, fields)})
    with atomic_write(path, overwrite=overwrite) as handle:
        handle.write(data)
    return path


def read_learned(path: Path, painting: Picture | None = None, network: str | None = None) -> LearnedStyle:
    """The learned style in ``path``, checked: its checksum, its network (``network``: the sha256
    it must have; by default the installed one's) and, when given, its painting."""
    from safetensors import SafetensorError
    from safetensors.numpy import load

    name = path.name
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise LearnedStyleError(f"{name} is not a learned style (far too large)")
        data = path.read_bytes()
    except FileNotFoundError:
        raise LearnedStyleError(f"{name} is not there") from None
    except IsADirectoryError:
        raise LearnedStyleError(f"{name} is a folder, not a learned style") from None
    except OSError as exc:
        raise LearnedStyleError(f"{name} cannot be read: {exc.strerror or exc}") from None
    try:
        tensors = load(data)
        header_size = int.from_bytes(data[:8], "little")
        metadata = json.loads(data[8 : 8 + header_size]).get("__metadata__") or {}
        fields = json.loads(metadata["fields"])
        conditioning = tensors["conditioning"].astype(np.float32)
    except (SafetensorError, ValueError, KeyError, TypeError, AttributeError):
        raise LearnedStyleError(f"{name} is not a learned style, or it is damaged") from None
    if not isinstance(fields, dict) or fields.get("format") != FORMAT:
        raise LearnedStyleError(f"{name} is not a learned style")
    if not isinstance(fields.get("version"), int) or fields["version"] > VERSION:
        raise LearnedStyleError(f"{name} was learned by a newer Impasto; update Impasto to use it")
    if conditioning.shape != (CONDITIONING_SIZE,) or metadata.get("checksum") != _checksum(conditioning, fields):
        raise LearnedStyleError(f"{name} is damaged (its checksum does not match); learn the style again")
    if not np.isfinite(conditioning).all():
        raise LearnedStyleError(f"{name} is damaged (it holds numbers that are not finite); learn the style again")
    expected_network = network or network_sha256()
    if fields.get("network") != expected_network:
        raise LearnedStyleError(f"{name} was learned for another version of the painting network; learn the style again")
    learned = LearnedStyle(conditioning, str(fields.get("painting")), str(fields["network"]), int(fields.get("steps", 0)),
                           float(fields.get("loss", 0.0)), float(fields.get("seconds", 0.0)))
    if painting is not None and not learned.fits(painting):
        raise LearnedStyleError(f"{name} was learned from another painting than {painting.name or 'this one'}")
    return learned
