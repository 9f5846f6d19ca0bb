"""Export jobs: a full-resolution render and an atomic save, both on the render thread.

A batch is one job per photo; each job carries its photo's path and decodes it on the render
thread, so the window never waits on forty photos before the first render. A clip is one job
(``clip_export``) whose frames are counted as they are written. ``ExportRun``
follows one Export (a picture or a batch) from its jobs' events: progress with the time
left, what was written, what failed and why.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from engine import (
    ImageWriteError,
    InvalidRequestError,
    RenderRequest,
    RenderSettings,
    load_picture,
    proportions_problem,
    render_layers,
    save_picture,
    write_openraster,
)

from .scheduler import Job, JobEvent, Stage

if TYPE_CHECKING:
    from .clip_export import FrameCounter

EXPORT_FILTERS = "PNG (*.png);;JPEG (*.jpg *.jpeg);;WebP (*.webp);;TIFF (*.tif *.tiff)"
LAYERS_FILTER = "OpenRaster (*.ora)"
ESTIMATE_AFTER = 0.03  # below this share of the work, a time-left estimate is noise


@dataclass(frozen=True)
class ExportOutput:
    path: Path
    notes: tuple[str, ...]


@dataclass(frozen=True)
class ExportProgress:
    fraction: float  # of the whole run
    seconds_left: float | None
    label: str  # what is being exported now
    frames: str = ""  # a clip's: "frame 40 of 240, 3.1 frames/s"

    @property
    def text(self) -> str:
        frames = f" — {self.frames}" if self.frames else ""
        left = "" if self.seconds_left is None else f" — about {_duration(self.seconds_left)} left"
        return f"Exporting {self.label}: {self.fraction:.0%}{frames}{left}"


def export_work(request: RenderRequest, target: Path, overwrite: bool):
    def work(engine: Any, token) -> ExportOutput:
        result = engine.render(request, token)
        return ExportOutput(save_picture(result.picture, target, overwrite=overwrite), result.notes)

    return work


def layers_work(request: RenderRequest, target: Path, overwrite: bool):
    """The photo, the style and each region as layers of an OpenRaster file (Krita, GIMP, MyPaint)."""

    def work(engine: Any, token) -> ExportOutput:
        layered = render_layers(engine, request, token)
        return ExportOutput(write_openraster(layered, target, overwrite=overwrite), layered.merged.notes)

    return work


def batch_photo_work(source: Path, max_pixels: int, style, settings: RenderSettings, target: Path, regions=()):
    """One photo of a batch: decoded here, on the render thread, only when its turn comes. The
    regions (``StyleRegion``s) are stretched to each photo."""

    def work(engine: Any, token) -> ExportOutput:
        photo = load_picture(source, max_pixels)
        problem = proportions_problem(*photo.size)
        if problem is not None:
            raise InvalidRequestError(f"{source.name}: {problem}")
        result = engine.render(RenderRequest(photo, style, settings, regions), token)
        return ExportOutput(save_picture(result.picture, target, overwrite=False), result.notes)

    return work


def advice(event: JobEvent) -> str:
    """What the artist can do about a failed export, where its message does not say (every
    out-of-memory message does: the engine's and ``failure_message``'s)."""
    if isinstance(event.error, (OSError, ImageWriteError)):
        return "Choose another folder (this one cannot be written to) or free some disk space."
    return ""


@dataclass
class ExportRun:
    jobs: list[Job]
    folder: Path
    started: float = field(default_factory=time.monotonic)
    stages: dict[int, Stage] = field(default_factory=dict)
    fractions: dict[int, float] = field(default_factory=dict)
    written: list[Path] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    showed_intermediate: bool = False
    counter: FrameCounter | None = None  # a clip's frames written so far

    def owns(self, job: Job) -> bool:
        return any(j is job for j in self.jobs)

    @property
    def finished(self) -> bool:
        return len(self.stages) == len(self.jobs)

    @property
    def cancelled(self) -> bool:
        return Stage.CANCELLED in self.stages.values()

    def record(self, event: JobEvent) -> None:
        job = event.job
        if event.stage is Stage.PROGRESS:
            self.fractions[job.job_id] = event.fraction
        elif event.stage is Stage.INTERMEDIATE:
            self.showed_intermediate = True
        elif event.ended:
            self.stages[job.job_id] = event.stage
            self.fractions[job.job_id] = 1.0
            if event.stage is Stage.DONE:
                self.written.append(event.value.path)
                self.notes += [f"{event.value.path.name}: {note}" for note in event.value.notes]
            elif event.stage is Stage.FAILED:
                self.problems.append(" ".join(filter(None, [f"{job.label}: {event.message}.", advice(event)])))

    def progress(self, label: str) -> ExportProgress:
        fraction = sum(self.fractions.values()) / len(self.jobs)
        elapsed = time.monotonic() - self.started
        left = elapsed * (1 - fraction) / fraction if fraction >= ESTIMATE_AFTER else None
        count = self.counter.count if self.counter is not None else None
        if count is None:
            return ExportProgress(fraction, left, label)
        return ExportProgress(fraction, count.seconds_left if count.per_second else left, label, count.text)

    def summary(self) -> str:
        if not self.written:
            return "Export cancelled; nothing was written." if self.cancelled else ""
        where = str(self.written[0]) if len(self.written) == 1 else f"{len(self.written)} pictures into {self.folder}"
        text = f"Exported {where}"
        if self.cancelled:
            text += " (then cancelled: the rest was not written)"
        return text + ("; " + "; ".join(self.notes) if self.notes else "")


def _duration(seconds: float) -> str:
    if seconds < 60:
        return f"{max(1, round(seconds))} s"
    return f"{seconds / 60:.0f} min" if seconds >= 600 else f"{int(seconds // 60)} min {round(seconds % 60)} s"
