"""The scheduler alone: plain Python, no window, no Qt; jobs run synchronously in the test."""

import errno
import random
import threading
from collections import Counter

import pytest

from desktop.jobs.scheduler import EngineStatus, Job, JobEvent, JobKind, Scheduler, Stage, failure_message
from engine import ImageWriteError


class Recorder:
    def __init__(self):
        self.events = []

    def __call__(self, event):
        self.events.append(event)

    def endings(self):
        return {e.job.job_id: e.stage for e in self.events if not isinstance(e, EngineStatus) and e.ended}

    def ran(self):
        return [e.job.label for e in self.events if not isinstance(e, EngineStatus) and e.stage is Stage.DONE]


@pytest.fixture
def recorder():
    return Recorder()


@pytest.fixture
def scheduler(recorder):
    return Scheduler(lambda: FakeEngine(), recorder)


class FakeEngine:
    class device:
        description = "Fake device"


def job(kind, label, work=None, **options):
    return Job(kind, work or (lambda engine, token: label), label, **options)


def test_the_newest_waiting_preview_wins_and_the_replaced_one_says_so(scheduler, recorder):
    first = scheduler.submit(job(JobKind.PREVIEW, "first"))
    second = scheduler.submit(job(JobKind.PREVIEW, "second"))
    scheduler.run_until_idle()
    assert recorder.ran() == ["second"]
    assert recorder.endings() == {first.job_id: Stage.CANCELLED, second.job_id: Stage.DONE}


def test_a_superseded_running_preview_is_cancelled_through_its_token(scheduler, recorder):
    def slow(engine, token):
        scheduler.submit(job(JobKind.PREVIEW, "newer"))  # the artist moved on while this ran
        token.progress(0.5)
        return "slow"

    running = scheduler.submit(job(JobKind.PREVIEW, "slow", slow))
    scheduler.run_until_idle()
    assert recorder.ran() == ["newer"]
    assert recorder.endings()[running.job_id] is Stage.CANCELLED


def test_a_drag_draft_lets_the_running_preview_finish(scheduler, recorder):
    def slow(engine, token):
        scheduler.submit(job(JobKind.PREVIEW, "draft", interrupts=False))
        token.progress(0.5)
        return "slow"

    scheduler.submit(job(JobKind.PREVIEW, "slow", slow))
    scheduler.run_until_idle()
    assert recorder.ran() == ["slow", "draft"]


def test_previews_never_displace_a_waiting_export(scheduler, recorder):
    def preview_storm(engine, token):
        for n in range(5):
            scheduler.submit(job(JobKind.PREVIEW, f"preview {n}"))
        return "export 1"

    scheduler.submit(job(JobKind.EXPORT, "export 1", preview_storm))
    scheduler.submit(job(JobKind.EXPORT, "export 2"))
    scheduler.submit(job(JobKind.BACKGROUND, "thumbnail"))
    scheduler.run_until_idle()
    assert recorder.ran() == ["export 1", "preview 4", "export 2", "thumbnail"]
    assert Counter(recorder.endings().values()) == {Stage.DONE: 4, Stage.CANCELLED: 4}


def test_cancelling_targets_one_job_and_always_reports_back(scheduler, recorder):
    def cancels_itself(engine, token):
        assert scheduler.cancel(running.job_id)
        token.progress(0.1)

    running = scheduler.submit(job(JobKind.EXPORT, "running", cancels_itself))
    waiting = scheduler.submit(job(JobKind.EXPORT, "waiting"))
    kept = scheduler.submit(job(JobKind.EXPORT, "kept"))
    assert scheduler.cancel(waiting.job_id)
    scheduler.run_until_idle()
    assert recorder.endings() == {running.job_id: Stage.CANCELLED, waiting.job_id: Stage.CANCELLED,
                                  kept.job_id: Stage.DONE}
    assert not scheduler.cancel(kept.job_id)  # it has ended: nothing to cancel


@pytest.mark.parametrize("error, words", [
    (ImageWriteError("/locked/out.png: permission denied"), "permission denied"),
    (PermissionError(errno.EACCES, "Permission denied", "/locked/out.png"), "/locked/out.png"),
    (MemoryError(), "not enough memory"),
    (RuntimeError("DefaultCPUAllocator: can't allocate memory: you tried to allocate 3.9 GB"), "not enough memory"),
    (ZeroDivisionError("bug"), "unexpected problem"),
])
def test_a_failure_is_reported_in_words_and_the_next_job_runs(scheduler, recorder, error, words):
    def fails(engine, token):
        raise error

    failing = scheduler.submit(job(JobKind.EXPORT, "failing", fails))
    scheduler.submit(job(JobKind.EXPORT, "next"))
    scheduler.run_until_idle()
    ending = next(e for e in recorder.events if not isinstance(e, EngineStatus) and e.job is failing)
    assert ending.stage is Stage.FAILED and words in ending.message and ending.error is error
    assert recorder.ran() == ["next"]


def test_an_engine_that_cannot_start_fails_every_job_instead_of_hanging(recorder):
    def broken():
        raise ImageWriteError("weights missing")

    scheduler = Scheduler(broken, recorder)
    one = scheduler.submit(job(JobKind.PREVIEW, "preview"))
    scheduler.run_until_idle()
    assert recorder.events[0] == EngineStatus(error="weights missing")
    assert recorder.endings() == {one.job_id: Stage.FAILED}


def test_an_export_reports_progress_and_its_intermediate_pictures(scheduler, recorder):
    import torch

    def long_work(engine, token):
        for step in range(1, 5):
            token.progress(step / 4)
        token.intermediate(torch.zeros(1, 3, 4, 4))

    scheduler.submit(job(JobKind.EXPORT, "export", long_work))
    scheduler.submit(job(JobKind.PREVIEW, "preview", lambda engine, token: token.progress(0.5)))
    scheduler.run_until_idle()
    stages = [(e.job.label, e.stage) for e in recorder.events if not isinstance(e, EngineStatus)]
    assert stages.count(("export", Stage.PROGRESS)) == 4 and ("export", Stage.INTERMEDIATE) in stages
    assert ("preview", Stage.PROGRESS) not in stages  # previews show a busy sign, not a percentage


def test_random_submissions_and_cancels_each_end_exactly_once(scheduler, recorder):
    chooser = random.Random(11)
    submitted = []

    def work(engine, token):
        for _ in range(chooser.randrange(3)):
            kind = chooser.choice(list(JobKind))
            submitted.append(scheduler.submit(job(kind, kind.value, interrupts=chooser.random() < 0.5)))
        if submitted and chooser.random() < 0.3:
            scheduler.cancel(chooser.choice(submitted).job_id)
        token.progress(0.5)

    for _ in range(300):
        kind = chooser.choice(list(JobKind))
        submitted.append(scheduler.submit(Job(kind, work, kind.value)))
        if chooser.random() < 0.2:
            scheduler.cancel(chooser.choice(submitted).job_id)
        if chooser.random() < 0.3:
            scheduler.run_until_idle()
    scheduler.run_until_idle()
    endings = [e.job.job_id for e in recorder.events if not isinstance(e, EngineStatus) and e.ended]
    assert sorted(endings) == sorted(j.job_id for j in submitted)  # once each, none left busy
    assert scheduler.idle


def test_served_from_a_thread_it_waits_and_stops_cleanly(recorder):
    scheduler = Scheduler(lambda: FakeEngine(), recorder)
    release = threading.Event()

    def blocking(engine, token):
        while not release.wait(0.01):
            token.progress(0.5)

    thread = threading.Thread(target=scheduler.serve)
    thread.start()
    scheduler.submit(job(JobKind.EXPORT, "quick"))
    assert scheduler.wait_until_idle(timeout=10)
    blocked = scheduler.submit(job(JobKind.EXPORT, "blocked", blocking))
    queued = scheduler.submit(job(JobKind.EXPORT, "queued"))
    scheduler.stop()
    thread.join(timeout=10)
    assert not thread.is_alive()
    late = scheduler.submit(job(JobKind.PREVIEW, "after stop"))
    scheduler.flush_reports()
    assert recorder.endings() == {e.job.job_id: e.stage for e in recorder.events[1:2]} | {
        blocked.job_id: Stage.CANCELLED, queued.job_id: Stage.CANCELLED, late.job_id: Stage.CANCELLED}
    assert recorder.events[0] == EngineStatus(device="Fake device")


def test_a_long_export_lets_the_waiting_preview_run_between_its_frames(scheduler, recorder):
    """A clip's export takes minutes: the artist's preview runs between two of its frames, the
    export keeps its token (a newer preview cancels only the preview) and ends as done."""
    tokens = []

    def clip(engine, token):
        for frame in range(3):
            if frame == 1:
                scheduler.submit(job(JobKind.PREVIEW, "scrubbed", lambda e, t: tokens.append(t) or "scrubbed"))
            token.progress(frame / 3)
            scheduler.run_waiting_previews()
        return "clip"

    def superseded(engine, token):
        scheduler.submit(job(JobKind.PREVIEW, "newer"))
        token.progress(0.5)  # raises: the newer preview cancelled this one...
        return "superseded"

    def with_a_superseded_preview(engine, token):
        scheduler.submit(job(JobKind.PREVIEW, "superseded", superseded))
        scheduler.run_waiting_previews()  # ...and runs in its place
        token.progress(0.5)  # the export's own token is untouched
        return "second clip"

    export = scheduler.submit(job(JobKind.EXPORT, "clip", clip))
    second = scheduler.submit(job(JobKind.EXPORT, "second clip", with_a_superseded_preview))
    scheduler.run_until_idle()
    assert recorder.ran() == ["scrubbed", "clip", "newer", "second clip"]
    assert recorder.endings()[export.job_id] is Stage.DONE and recorder.endings()[second.job_id] is Stage.DONE
    assert list(recorder.endings().values()).count(Stage.CANCELLED) == 1 and len(tokens) == 1


def test_an_export_that_runs_out_of_memory_is_advised_once():
    from desktop.studio.export_runs import advice
    from engine import OutOfMemoryError

    for error in (MemoryError(), OutOfMemoryError("not enough memory to render p.jpg, even in 256 px tiles; close "
                                                  "other programs or choose a larger stroke size")):
        event = JobEvent(Job(JobKind.EXPORT, lambda engine, token: None), Stage.FAILED, message=failure_message(error),
                         error=error)
        text = " ".join(filter(None, [event.message, advice(event)]))
        assert text.count("close other programs") == 1, text
