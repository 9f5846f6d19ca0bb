"""The live preview of the studio: which request the current state needs (of the photo, or of
the clip's frame under the timeline), whether it is already on screen or on its way (then
nothing is rendered again), the preset strength fade, and the actual-size detail of the
visible area. It follows the core's ``preview_wanted`` and the content's ``shown``."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QObject, Signal

from desktop.jobs.preview_work import clip_frame_work, preview_work
from desktop.jobs.scheduler import Job, JobEvent, JobKind, Stage
from desktop.studio.content import StudioContent
from desktop.studio.core import PreviewWish, StudioCore
from desktop.studio.frames import DetailFrame, PresetFade, PreviewFrame, PreviewSource
from desktop.studio.library import StyleLibrary
from desktop.studio.pictures import crop, shrunk
from desktop.studio.qt_images import picture_to_qimage
from desktop.studio.requests import detail_settings, preview_settings, region_sources, style_spec
from engine import ImpastoError, RenderRequest


@dataclass(frozen=True, eq=False)
class _Stylised:
    key: tuple  # the preview it belongs to
    fade: PresetFade
    unmatched: bool  # a clip's frame painted with its own statistics, its shot's not yet measured


class LivePreview(QObject):
    preview_ready = Signal(object)  # PreviewFrame
    detail_ready = Signal(object)  # DetailFrame
    rendering_changed = Signal(bool)  # whether a preview is on its way

    def __init__(self, core: StudioCore, content: StudioContent, library: StyleLibrary):
        super().__init__()
        self._core, self._content, self._library = core, content, library
        self.job: Job | None = None  # the newest preview submitted
        self.key: tuple | None = None  # what the newest preview shows, or will
        self.frame: PreviewFrame | None = None  # the last frame shown
        self.submitted = 0  # previews given to the render thread (tests and the bench count them)
        self._stylised: _Stylised | None = None  # the preset's picture at strength 1
        self._wanted_detail: tuple[int, int, int, int] | None = None
        self._detail_key: tuple | None = None
        core.preview_wanted.connect(self._follow)
        content.shown.connect(self.forget)

    @property
    def rendering(self) -> bool:
        return self.job is not None

    # -- the preview ----------------------------------------------------------------------

    def _follow(self, wish: PreviewWish) -> None:
        self.schedule(wish.draft, wish.interrupts, wish.measure)

    def schedule(self, draft: bool, interrupts: bool = True, measure: bool = False) -> None:
        """Preview the state (``draft``: at the draft's working size). ``measure``: a clip's frame
        whose shot statistics are not measured for this look is painted once, with them, rather
        than first with its own (which are on screen already)."""
        state = self._core.state
        source = self._content.source()
        if source is None or state.style_kind is None:
            return
        fade = self._fades_in_studio(state, source)
        app = self._core.app_settings
        long_side = min(app.preview_long_side, max(source.size))
        settings = preview_settings(state.settings, long_side, app.draft_long_side if draft else None, fade)
        key = (source.key, state.style_keys, state.weights, state.regions, settings)
        full_key = key[:4] + (preview_settings(state.settings, long_side, None, fade),)
        if fade and self._stylised is not None and self._stylised.key == full_key:
            if self._faded_instead(full_key, draft):
                return
            # a clip's frame painted with its own statistics, and its shot's not on their way
            draft, measure, key, settings = False, True, full_key, full_key[4]
        if key == self.key:
            return  # on screen or on its way
        look = None if draft else key[1:]
        work = self._work(source, settings, look, measure)
        if work is None:
            return
        self.key = key
        # A clip's frame whose shot statistics are not measured yet for this look is painted with its
        # own at once, then again with its shot's (``then``): on a CPU, measuring costs a few renders.
        self._submit(work, source.name, key, fade, draft, interrupts,
                     lambda: self._work(source, settings, look, measure=True))

    def _faded_instead(self, full_key: tuple, draft: bool) -> bool:
        """The preset's picture is at hand: a strength change is a fade, not a render, unless the
        picture is a clip's frame with its own statistics and its shot's are not on their way
        (they are measured then, but not during a drag: its full preview comes when it rests)."""
        measuring = self.job is not None and self.key == full_key
        assert self._stylised is not None  # the caller has found it at hand
        if self._stylised.unmatched and not measuring and not draft:
            return False
        if self.job is not None and not measuring:
            self._core.cancel(self.job.job_id)
            self.job = None
            self.rendering_changed.emit(False)
        self.key = full_key
        self._show_faded(draft)
        return True

    def _submit(self, work, label: str, key: tuple, fade: bool, draft: bool, interrupts: bool, then=None) -> None:
        self.job = self._core.submit(Job(JobKind.PREVIEW, work, label,
                                         lambda event: self._on_event(event, key, fade, draft, then), interrupts))
        self.submitted += 1
        self.rendering_changed.emit(True)

    def _work(self, source: PreviewSource, settings, look: tuple | None, measure: bool):
        """The job that paints ``source``, or None (and why) when the style cannot be had. A clip's
        frame takes its shot's statistics, measured first if ``measure``, unless ``look`` is None
        (a drag's draft, at a smaller working size than the export's, takes its own)."""
        state, pictures = self._core.state, self._content.pictures
        try:
            style = style_spec(state, pictures)
            regions = region_sources(state, pictures, self._library.name_of)
            if source.frames is not None:
                shots = None if look is None else source.shots
                return clip_frame_work(source.frames, source.position, style, settings, regions, picture_to_qimage,
                                       shrunk, shots, look or (), measure)
            assert source.photo is not None  # a source is a photo or a clip's frames
            return preview_work(RenderRequest(source.photo, style, settings), regions, picture_to_qimage)
        except ImpastoError as exc:
            self._core.tell(f"{exc}.", error=True)
        except KeyError:
            self._core.tell("A painting of this blend is no longer in the library; choose another style.", error=True)
        return None

    def forget(self) -> None:
        """Render the next preview afresh (a clip's first frame comes with it)."""
        self.key, self._stylised = None, None

    @staticmethod
    def _fades_in_studio(state, source: PreviewSource) -> bool:
        """Whether the engine's strength is a fade of the whole picture to the photo, which the
        studio can do itself: presets only (in the regions too), on an 8-bit photo (a clip's
        frames are faded against their 8-bit preview copy)."""
        presets_only = state.style_kind == "preset" and all(r.style.kind == "preset" for r in state.regions.items)
        return presets_only and (source.photo is None or source.photo.pixels.dtype == np.uint8)

    def _on_event(self, event: JobEvent, key: tuple, fade: bool, draft: bool, then=None) -> None:
        if event.job is not self.job or not event.ended:
            return  # superseded: a newer preview is on its way
        self.job = None
        self.rendering_changed.emit(False)
        if event.stage is not Stage.DONE:
            self.key = None  # the same request may be tried again
            if event.stage is Stage.FAILED:
                self._core.tell(f"The preview of {event.job.label} failed: {event.message}.", error=True)
            return
        output = event.value
        self._core.set_device(output.result.device)
        if output.before is not None:
            self._content.show_frame(key[0], output.before)
        if fade:
            self._stylised = _Stylised(key, self._fade_of(output), output.unmatched)
        if fade and self._core.state.settings.strength < 1.0:
            self._show_faded(draft, output.result)
        else:
            self._show(PreviewFrame(output.image, self._full_size(), output.result.request_id, output.result.seconds,
                                    output.result.device, draft))
        follow_up = then() if output.unmatched and then is not None else None
        if follow_up is not None:  # the detail waits for it: a preview job would displace the detail's
            self._submit(follow_up, event.job.label, key, fade, draft, True)
        else:
            self._submit_wanted_detail()

    def _fade_of(self, output) -> PresetFade:
        stylised, core = output.result.picture, self._core
        before = output.before or self._content.pictures.photo_shrunk(core.state.content,
                                                                      core.app_settings.preview_long_side)
        photo = self._content.photo()
        if before.size != stylised.size and photo is not None:  # not expected: the engine shrinks it so
            before = shrunk(photo, stylised.size)
        return PresetFade(before, stylised)

    def _show_faded(self, draft: bool, result=None) -> None:
        assert self._stylised is not None  # shown faded only once the preset's picture is at hand
        image = self._stylised.fade.image(self._core.state.settings.strength)
        last = result or self.frame
        self._show(PreviewFrame(image, self._full_size(), last.request_id if last else 0,
                                last.seconds if last else 0.0, self._core.device, draft))

    def _show(self, frame: PreviewFrame) -> None:
        self.frame = frame
        self._detail_key = None  # the detail shows the previous look
        self.preview_ready.emit(frame)

    def _full_size(self) -> tuple[int, int]:
        source = self._content.source()
        return source.size if source is not None else (1, 1)

    # -- actual size ----------------------------------------------------------------------

    def request_detail(self, region: tuple[int, int, int, int] | None) -> None:
        """Render the photo's real pixels for ``region`` (None: no detail is wanted any more)."""
        self._wanted_detail = region
        if region is not None and self.job is None:
            self._submit_wanted_detail()

    def _submit_wanted_detail(self) -> None:
        region, state, pictures = self._wanted_detail, self._core.state, self._content.pictures
        photo = self._content.photo()
        if region is None or photo is None or state.style_kind is None:
            return
        left, top = max(0, region[0]), max(0, region[1])
        width, height = min(region[2], photo.width - left), min(region[3], photo.height - top)
        if min(width, height) < 16:
            return
        region = (left, top, width, height)
        settings = detail_settings(state.settings, photo.size, (width, height))
        key = (state, self._content.position, settings, region)
        if key == self._detail_key:
            return
        box = (left / photo.width, top / photo.height, (left + width) / photo.width, (top + height) / photo.height)
        try:
            request = RenderRequest(crop(photo, region), style_spec(state, pictures), settings)
            regions = tuple(source.cropped(box) for source in region_sources(state, pictures, self._library.name_of))
        except (ImpastoError, KeyError):
            return  # the preview has said why already
        self._detail_key = key
        self._core.submit(Job(JobKind.PREVIEW, preview_work(request, regions, picture_to_qimage), photo.name,
                              lambda event: self._on_detail_event(event, key, region)))

    def _on_detail_event(self, event: JobEvent, key: tuple, region) -> None:
        if not event.ended or key != self._detail_key:
            return
        if event.stage is Stage.DONE:
            self.detail_ready.emit(DetailFrame(event.value.image, region, event.value.result.request_id))
        else:
            self._detail_key = None
