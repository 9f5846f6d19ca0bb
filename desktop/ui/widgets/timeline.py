"""The timeline under the preview, shown while a clip is open: a slider to scrub its frames, the
frame and time under it, the clip's size, length and frame rate, and how steady its export is."""

from __future__ import annotations

import time

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QComboBox, QGridLayout, QLabel, QPushButton, QSlider, QWidget

from desktop.studio import ClipView

# The temporal modes (engine's TEMPORAL_MODES) in an artist's words; docs/cli.md, "Video", says more.
STEADINESS = {
    "full": ("Smooth: follows the motion",
             ("Colours and strokes stay put from frame to frame: each frame takes on the last one's painting, "
              "carried along the motion, wherever the motion is sure (the default)")),
    "stats": ("Steady colours",
              ("The style's colours and contrast stay fixed through each shot; the strokes are painted afresh on "
               "every frame, so they shimmer a little")),
    "off": ("Each frame on its own",
            "Every frame painted alone, like a still: the liveliest, and it flickers"),
}


PLAY_TICK_MS = 15  # how often playing looks at the clock; frames come at the clip's own rate


class Timeline(QWidget):
    scrubbed = Signal(int, bool)  # frame (from 0), final: let go (or moved with the keyboard)
    steadiness_chosen = Signal(str)  # a temporal mode

    def __init__(self, parent=None):
        super().__init__(parent)
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setToolTip("Scrub the clip: the preview paints the frame under the slider (← → step one frame)")
        self.position_label = QLabel("")
        self.about_label = QLabel("")
        self.steadiness = QComboBox()
        for mode, (text, tip) in STEADINESS.items():
            self.steadiness.addItem(text, mode)
            self.steadiness.setItemData(self.steadiness.count() - 1, tip, Qt.ItemDataRole.ToolTipRole)
        self.steadiness.setToolTip("How steady the exported clip is, from frame to frame")
        self.play_button = QPushButton("Play")
        self.play_button.setCheckable(True)
        self.play_button.setToolTip("Play the clip in draft frames (each painted on its own, as fast as they "
                                    "come); pause to see the frame in full")
        self._fps = 24.0
        self._played_from: tuple[float, int] | None = None  # (when, frame) the playing started
        self._player = QTimer(self, interval=PLAY_TICK_MS)
        self._player.timeout.connect(self._play_on)
        layout = QGridLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.addWidget(self.play_button, 0, 0)
        layout.addWidget(self.slider, 0, 1, 1, 3)
        layout.addWidget(self.position_label, 1, 1)
        layout.addWidget(self.about_label, 1, 2, Qt.AlignmentFlag.AlignRight)
        layout.addWidget(self.steadiness, 1, 3)
        layout.setColumnStretch(1, 1)
        self.play_button.toggled.connect(self.play)
        self.slider.valueChanged.connect(lambda value: self.scrubbed.emit(value, not self.slider.isSliderDown()))
        self.slider.sliderReleased.connect(lambda: self.scrubbed.emit(self.slider.value(), True))
        self.steadiness.activated.connect(lambda index: self.steadiness_chosen.emit(self.steadiness.itemData(index)))
        self.setVisible(False)

    def play(self, on: bool) -> None:
        """Frames follow the clock (a slow preview skips frames, as a player does); the last one
        reached is painted in full when paused or at the end."""
        self.play_button.blockSignals(True)
        self.play_button.setChecked(on)
        self.play_button.setText("Pause" if on else "Play")
        self.play_button.blockSignals(False)
        if on:
            start = 0 if self.slider.value() >= self.slider.maximum() else self.slider.value()
            self._played_from = (time.monotonic(), start)
            self._player.start()
        elif self._player.isActive():
            self._player.stop()
            self._played_from = None
            self.scrubbed.emit(self.slider.value(), True)

    @property
    def playing(self) -> bool:
        return self._player.isActive()

    def _play_on(self) -> None:
        if self._played_from is None:
            return
        started, first = self._played_from
        frame = min(first + int((time.monotonic() - started) * self._fps), self.slider.maximum())
        if frame != self.slider.value():
            self.slider.blockSignals(True)
            self.slider.setValue(frame)
            self.slider.blockSignals(False)
            self.scrubbed.emit(frame, False)  # a draft, as while the slider is dragged
        if frame >= self.slider.maximum():
            self.play(False)

    def show_clip(self, view: ClipView | None) -> None:
        """The clip and its frame, or None (a photo): hidden. Never echoes back to the studio."""
        self.setVisible(view is not None)
        if view is None:
            self.play(False)
            return
        info = view.info
        self._fps = float(info.fps) or 24.0
        self.slider.blockSignals(True)
        self.slider.setRange(0, view.last)
        self.slider.setPageStep(max(1, round(float(info.fps))))  # Page Up / Down: about a second
        if self.slider.value() != view.position:
            self.slider.setValue(view.position)
        self.slider.blockSignals(False)
        about = "" if info.frame_count_exact else "about "
        self.position_label.setText(f"Frame {view.position + 1} of {about}{info.frame_count}  ·  "
                                    f"{_clock(view.seconds)} / {_clock(info.duration)}")
        self.about_label.setText(f"{info.size[0]}×{info.size[1]}  ·  {float(info.fps):.3g} frames/s"
                                 + ("  ·  sound" if info.has_audio else ""))

    def show_steadiness(self, mode: str) -> None:
        index = self.steadiness.findData(mode)
        if index >= 0:
            self.steadiness.setCurrentIndex(index)


def _clock(seconds: float) -> str:
    minutes, seconds = divmod(seconds, 60)
    return f"{int(minutes)}:{seconds:05.2f}"
