"""Flow-guided blending: each stylised frame takes a share of the previous result, carried
along the photo's optical flow, wherever the flow can be trusted.

The flow is OpenCV's DIS (Kroeger et al., ECCV 2016) on grey photo frames of at most
``FLOW_LONG_SIDE`` px, computed both ways. A pixel is trusted when the two flows agree (the
forward-backward check of Ruder et al., GCPR 2016: an occluded or disoccluded pixel has no
partner, and its flows disagree), when it comes from inside the previous frame, and when its
brightness survived the move; elsewhere — moving edges, what a pan uncovers — the frame is its
own render alone, so nothing ghosts. The previous *result* is carried, not the previous render:
the blend is a running average along motion paths, which the ratio ``blend`` bounds.
"""

from __future__ import annotations

import cv2
import numpy as np

from ..picture import Picture

FLOW_LONG_SIDE = 640  # DIS at 640 x 360 takes about 15 ms per direction on one CPU core
CONSISTENCY_RELATIVE, CONSISTENCY_ABSOLUTE = 0.01, 0.5  # Ruder et al.'s alpha and beta (flow pixels)
BRIGHTNESS_TOLERANCE = 0.1  # grey levels 0..1 a trusted pixel may change along the flow
TRUST_FEATHER = 3  # px at flow size: trust fades in over this, so its edges do not show


class FlowBlender:
    """Told each frame of a shot in turn (the photo and its render), returns the blended result."""

    def __init__(self, blend: float):
        self.blend = blend
        self._flow = cv2.DISOpticalFlow.create(cv2.DISOPTICAL_FLOW_PRESET_MEDIUM)
        self.reset()

    def reset(self) -> None:
        """A new shot: nothing is carried over."""
        self._previous_grey: np.ndarray | None = None
        self._previous_result: np.ndarray | None = None  # float32, 0..1, H x W x 3

    def blended(self, photo: Picture, render: Picture) -> Picture:
        grey = flow_grey(photo)
        result = _as_float(render)
        if self._previous_result is not None and self.blend > 0:
            warped, trust = self._carried(grey, result.shape[1::-1])
            result += (self.blend * trust)[:, :, None] * (warped - result)
        self._previous_grey, self._previous_result = grey, result
        return Picture(_to_integers(result, render.pixels.dtype), render.alpha, render.icc_profile, render.name)

    def _carried(self, grey: np.ndarray, size: tuple[int, int]) -> tuple[np.ndarray, np.ndarray]:
        """The previous result moved onto this frame, and how far each pixel of it is trusted."""
        assert self._previous_grey is not None and self._previous_result is not None  # set together, after a frame
        # grey(x) ~ previous(x + backward(x)). The stubs type calc's output flow as required; OpenCV
        # takes None and allocates it.
        backward = self._flow.calc(grey, self._previous_grey, None)  # type: ignore[call-overload]
        forward = self._flow.calc(self._previous_grey, grey, None)  # type: ignore[call-overload]
        trust = trusted(grey, self._previous_grey, backward, forward)
        width, height = size
        scale = np.array([width / grey.shape[1], height / grey.shape[0]], np.float32)  # x, y
        flow = cv2.resize(backward, (width, height), interpolation=cv2.INTER_LINEAR) * scale
        warped = cv2.remap(self._previous_result, *_moved_grid(flow), cv2.INTER_LINEAR, borderMode=cv2.BORDER_REFLECT)
        return warped, cv2.resize(trust, (width, height), interpolation=cv2.INTER_LINEAR)


def trusted(grey: np.ndarray, previous: np.ndarray, backward: np.ndarray, forward: np.ndarray) -> np.ndarray:
    """1 where the backward flow can carry the previous frame's pixel here, fading to 0 where not."""
    map_x, map_y = _moved_grid(backward)
    forward_there = cv2.remap(forward, map_x, map_y, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
    mismatch = np.sum((backward + forward_there) ** 2, axis=2)
    bound = CONSISTENCY_RELATIVE * (np.sum(backward**2, axis=2) + np.sum(forward_there**2, axis=2))
    consistent = mismatch <= bound + CONSISTENCY_ABSOLUTE
    height, width = grey.shape
    inside = (map_x >= 0) & (map_x <= width - 1) & (map_y >= 0) & (map_y <= height - 1)
    previous_there = cv2.remap(previous, map_x, map_y, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
    same_brightness = np.abs(grey.astype(np.float32) - previous_there) <= BRIGHTNESS_TOLERANCE * 255
    trust = (consistent & inside & same_brightness).astype(np.float32)
    kernel = np.ones((TRUST_FEATHER, TRUST_FEATHER), np.uint8)
    return cv2.blur(cv2.erode(trust, kernel), (TRUST_FEATHER, TRUST_FEATHER))


def flow_grey(photo: Picture) -> np.ndarray:
    """The photo as an 8-bit grey picture of at most ``FLOW_LONG_SIDE`` px: what DIS reads."""
    pixels = photo.pixels if photo.pixels.dtype == np.uint8 else (photo.pixels >> 8).astype(np.uint8)
    grey = cv2.cvtColor(pixels, cv2.COLOR_RGB2GRAY)
    scale = min(1.0, FLOW_LONG_SIDE / max(photo.size))
    if scale < 1.0:
        size = (max(1, round(photo.width * scale)), max(1, round(photo.height * scale)))
        grey = cv2.resize(grey, size, interpolation=cv2.INTER_AREA)
    return grey


def _moved_grid(flow: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    height, width = flow.shape[:2]
    columns, rows = np.meshgrid(np.arange(width, dtype=np.float32), np.arange(height, dtype=np.float32))
    return columns + flow[:, :, 0], rows + flow[:, :, 1]


def _as_float(picture: Picture) -> np.ndarray:
    return picture.pixels.astype(np.float32) / picture.max_value


def _to_integers(image: np.ndarray, dtype) -> np.ndarray:
    top = 65535 if dtype == np.uint16 else 255
    return (np.clip(image, 0, 1) * top + 0.5).astype(dtype)
