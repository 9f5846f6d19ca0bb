"""How each Export goes: ``ExportRun`` follows one Export (a picture, a batch, or a clip) from its
jobs' events: progress with the time left, what was written, what failed and why."""

from __future__ import annotations

import errno
import time
from dataclasses import dataclass, field
from pathlib import Path

from desktop.jobs.clip_export_work import FrameCounter
from desktop.jobs.scheduler import Job, JobEvent, Stage
from engine import ClipTarget, ImageWriteError

ESTIMATE_AFTER = 0.03  # below this share of the work, a time-left estimate is noise


@dataclass(frozen=True)
class ExportProgress:
    fraction: float  # of the whole run
    seconds_left: float | None
    label: str  # what is being exported now
    frames: str = ""  # a clip's: "frame 40 of 240, 3.1 frames/s"
    doing: str = "Exporting"  # or "Learning the style of"

    @property
    def text(self) -> str:
        frames = f" — {self.frames}" if self.frames else ""
        left = "" if self.seconds_left is None else f" — about {_duration(self.seconds_left)} left"
        return f"{self.doing} {self.label}: {self.fraction:.0%}{frames}{left}"


def target_problem(target: ClipTarget) -> str | None:
    """What is wrong with ``target`` that can be told before the export is queued."""
    path = target.path
    if target.is_video_file:
        return f"{path} already exists; choose another name." if path.exists() and not target.overwrite else None
    if path.exists() and not (path.is_dir() and not any(path.iterdir())):
        return f"{path} already exists and is not an empty folder; choose a new folder for the frames."
    return None


def advice(event: JobEvent) -> str:
    """What the artist can do about a failed export, where its message does not say (every
    out-of-memory message does: the engine's and ``failure_message``'s)."""
    if not isinstance(event.error, (OSError, ImageWriteError)):
        return ""
    cause: BaseException | None = event.error
    while cause is not None and not (isinstance(cause, OSError) and cause.errno):
        cause = cause.__cause__ or cause.__context__
    code = cause.errno if isinstance(cause, OSError) else None
    if code in (errno.EACCES, errno.EPERM, errno.EROFS):
        return "Choose another folder: this one cannot be written to."
    if code in (errno.ENOSPC, errno.EDQUOT):
        return "Free some disk space, or choose a folder on another drive."
    return "Choose another folder (this one cannot be written to) or free some disk space."


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
