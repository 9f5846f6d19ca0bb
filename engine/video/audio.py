"""The source's sound, copied into the written clip packet by packet: never decoded, never
re-encoded, so it comes out exactly as it went in. It is read by a second demuxer of its own
and muxed a little ahead of the video being written, so that neither stream is held whole and
FFmpeg's interleaving has both at hand."""

from __future__ import annotations

from pathlib import Path

import av

from ..errors import VideoWriteError

LEAD_SECONDS = 0.5  # sound muxed this far ahead of the last video frame written


class AudioPassthrough:
    def __init__(self, source: Path, output: av.container.OutputContainer, target_suffix: str):
        self._input = av.open(str(source), metadata_errors="ignore")
        audio = self._input.streams.audio[0]
        try:
            self.stream = output.add_stream_from_template(audio)
        except ValueError:
            self._input.close()
            raise VideoWriteError(f"{source.name}'s sound ({audio.codec_context.name}) cannot go unchanged into a "
                                  f"{target_suffix} file; write .mkv (which takes any sound), or leave the sound "
                                  f"out (--no-audio)") from None
        self._output = output
        self._packets = self._input.demux(audio)
        self._waiting: av.Packet | None = None

    def mux_until(self, seconds: float) -> None:
        """Mux the sound up to a little past ``seconds`` on the clip's time line."""
        while True:
            packet = self._waiting or next(self._packets, None)
            self._waiting = None
            if packet is None:
                return
            if packet.dts is None:  # the demuxer's end-of-stream marker
                continue
            if packet.pts is not None and float(packet.pts * packet.time_base) > seconds + LEAD_SECONDS:
                self._waiting = packet
                return
            packet.stream = self.stream
            self._output.mux(packet)

    def finish(self) -> None:
        """Mux the rest (sound that outlasts the picture is kept) and close the source."""
        self.mux_until(float("inf"))
        self.close()

    def close(self) -> None:
        self._input.close()
