"""The studio's exports: each Export (one picture, a batch into a folder, or a clip) becomes an
``ExportRun`` of jobs in the scheduler's export queue, which no preview can displace. Every job
reports how it ended, so the progress always closes and Export is never left waiting. A
high-quality export shows its painting develop (``picture_developing``) until it ends."""

from __future__ import annotations

import functools
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from desktop.jobs.clip_export_work import FrameCounter, clip_work
from desktop.jobs.export_work import batch_photo_work, export_work, layers_work
from desktop.jobs.region_sources import with_regions
from desktop.jobs.scheduler import Job, JobEvent, JobKind, Stage
from desktop.studio.content import StudioContent
from desktop.studio.core import StudioCore
from desktop.studio.export_runs import ExportRun, target_problem
from desktop.studio.frames import PreviewFrame
from desktop.studio.library import StyleLibrary
from desktop.studio.qt_images import picture_to_qimage
from desktop.studio.requests import region_sources, style_spec
from engine import ClipTarget, ImpastoError, RenderRequest, RenderSettings


class StudioExports(QObject):
    export_changed = Signal(object)  # ExportProgress, or None when no export runs
    picture_developing = Signal(object)  # PreviewFrame of a high-quality export; None once its pictures are over

    def __init__(self, core: StudioCore, content: StudioContent, library: StyleLibrary):
        super().__init__()
        self._core, self._content, self._library = core, content, library
        self.runs: list[ExportRun] = []  # first in, first out, as the scheduler runs them

    @property
    def busy(self) -> bool:
        return bool(self.runs)

    @property
    def run(self) -> ExportRun | None:
        return self.runs[0] if self.runs else None

    def export_to(self, target: Path, overwrite: bool = False) -> bool:
        """Render the current photo at full resolution into ``target``; False (and why) if it cannot start."""
        return self._export_one(target, overwrite, export_work)

    def export_layers_to(self, target: Path, overwrite: bool = False) -> bool:
        """The photo, the style and each region as layers of an OpenRaster file ``target`` (.ora)."""
        names = [self._library.name_of(key) for key in self._core.state.style_keys]
        return self._export_one(target, overwrite, functools.partial(layers_work, style_name=" + ".join(names)))

    def _export_one(self, target: Path, overwrite: bool, work_of) -> bool:
        core = self._core
        photo = self._content.photo()
        if photo is None or not self._renderable():
            return False
        try:
            exists = target.exists()
        except OSError as exc:  # a name longer than the file system allows, say
            core.tell(f"Cannot export to {target.name}: {exc.strerror or exc}; choose another name.", error=True)
            return False
        if exists and not overwrite:
            core.tell(f"{target} already exists; choose another name.", error=True)
            return False
        state, pictures = core.state, self._content.pictures
        try:
            request = with_regions(RenderRequest(photo, style_spec(state, pictures), self._export_settings()),
                                   region_sources(state, pictures, self._library.name_of))
        except (ImpastoError, KeyError) as exc:
            core.tell(f"Cannot export {photo.name}: {exc}.", error=True)
            return False
        self._start([(work_of(request, target, overwrite), target.name)], target.parent)
        return True

    def export_clip_to(self, target: ClipTarget) -> bool:
        """Render the clip into ``target`` (a video, or a new folder of frames) with the temporal
        stability chosen; False (and why) if it cannot start."""
        core, content = self._core, self._content
        clip = content.clip
        if clip is None or not self._renderable():
            return False
        problem = target_problem(target)
        if problem is not None:
            core.tell(problem, error=True)
            return False
        state = core.state
        try:
            style = style_spec(state, content.pictures)
            regions = tuple(source.region() for source in region_sources(state, content.pictures,
                                                                         self._library.name_of))
        except (ImpastoError, KeyError) as exc:
            core.tell(f"Cannot export {clip.info.path.name}: {exc}.", error=True)
            return False
        counter = FrameCounter()
        work = clip_work(clip.source, style, state.settings.with_changes(quality="fast"), target,
                         content.video_settings(), regions, counter, core.run_waiting_previews)
        self._start([(work, target.path.name)], target.path.parent, counter)
        if state.settings.quality == "high":
            core.tell("High quality is for still pictures: the clip is painted with the fast networks.")
        return True

    def export_batch(self, folder: Path) -> bool:
        """Every photo of the batch into ``folder``: each is decoded on the render thread in its turn."""
        core, content = self._core, self._content
        if not content.batch or not self._renderable():
            return False
        try:
            style = style_spec(core.state, content.pictures)
            regions = tuple(source.region() for source in region_sources(core.state, content.pictures,
                                                                         self._library.name_of))
        except (ImpastoError, KeyError) as exc:
            core.tell(f"Cannot export the batch: {exc}.", error=True)
            return False
        fmt, max_pixels = core.app_settings.export_format, core.app_settings.max_input_megapixels * 1_000_000
        settings = self._export_settings()
        works = [(batch_photo_work(path, max_pixels, style, settings,
                                   folder / f"{path.stem}_impasto.{fmt}", regions), path.name) for path in content.batch]
        self._start(works, folder)
        return True

    def cancel(self) -> None:
        """Cancel every export waiting or running; each reports back, and the progress closes."""
        for run in self.runs:
            for job in run.jobs:
                if job.job_id not in run.stages:
                    self._core.cancel(job.job_id)

    def _renderable(self) -> bool:
        state = self._core.state
        if state.style_kind is None:
            self._core.tell("Blend presets with presets, or paintings with paintings.", error=True)
            return False
        return True

    def _export_settings(self) -> RenderSettings:
        """The look to export: High quality paints one style over the whole picture, so a picture
        with regions is exported at the fast quality (and the artist is told)."""
        state = self._core.state
        if state.regions and state.settings.quality == "high":
            self._core.tell("Exporting at the fast quality: High quality paints one style over the whole picture, "
                            "and this picture has regions.")
            return state.settings.with_changes(quality="fast")
        return state.settings

    def _start(self, works: list, folder: Path, counter: FrameCounter | None = None) -> None:
        core = self._core
        core.app_settings = core.app_settings.with_changes(last_export_dir=str(folder))
        run = ExportRun([], folder, counter=counter)
        run.jobs = [Job(JobKind.EXPORT, work, label, functools.partial(self._on_event, run)) for work, label in works]
        self.runs.append(run)
        for job in run.jobs:
            core.submit(job)
        self.export_changed.emit(self.runs[0].progress(self.runs[0].jobs[0].label))

    def _on_event(self, run: ExportRun, event: JobEvent) -> None:
        core = self._core
        run.record(event)
        if event.stage is Stage.INTERMEDIATE:  # a high-quality export: show the painting develop
            photo = self._content.photo()
            size = photo.size if photo is not None else event.value.size
            self.picture_developing.emit(PreviewFrame(picture_to_qimage(event.value), size, event.job.job_id, 0.0,
                                                      core.device))
        if not run.finished:
            if run is self.run:
                self.export_changed.emit(run.progress(event.job.label))
            return
        self.runs.remove(run)
        if run.problems:
            core.tell("Export failed — " + " ".join(run.problems), error=True)
        if run.summary():
            core.tell(run.summary(), folder=run.folder if run.written else None)
        if run.showed_intermediate or run.cancelled:
            self.picture_developing.emit(None)  # back to the last preview
        self.export_changed.emit(self.run.progress(self.run.jobs[0].label) if self.run else None)
