"""What an artist relies on: stroke size, strength, colours, alpha, progress and cancelling."""

import numpy as np
import pytest
import torch
from PIL import Image

from engine import (
    Cancelled,
    CancelToken,
    InvalidRequestError,
    Picture,
    RenderRequest,
    RenderSettings,
    painting,
    preset,
)
from engine.rendering.resizing import resized

from .conftest import textured_painting


def render(engine, content, style, **settings):
    return engine.render(RenderRequest(content, style, RenderSettings(**settings))).picture


def test_native_stroke_runs_at_the_output_size(cpu_engine, photo):
    result = cpu_engine.render(RenderRequest(photo, preset(3), RenderSettings(stroke=None)))
    assert result.working_size == photo.size == result.picture.size


def test_same_stroke_size_looks_alike_small_and_large(cpu_engine, photo):
    """At 4x the pixels, the stroke setting keeps the look: the large render, shrunk, matches the small one."""
    small, large = resized(photo, 300, 200), resized(photo, 1200, 800)
    a = render(cpu_engine, small, preset(9), stroke=2.0)
    b = render(cpu_engine, large, preset(9), stroke=2.0)
    b_small = np.asarray(Image.fromarray(b.pixels).resize(a.size, Image.Resampling.LANCZOS), dtype=np.float32)
    assert np.abs(b_small - a.pixels.astype(np.float32)).mean() < 12  # out of 255
    # ... whereas running the network at full size each time paints differently-sized strokes.
    c = render(cpu_engine, large, preset(9), stroke=None)
    c_small = np.asarray(Image.fromarray(c.pixels).resize(a.size, Image.Resampling.LANCZOS), dtype=np.float32)
    assert np.abs(c_small - a.pixels.astype(np.float32)).mean() > np.abs(b_small - a.pixels.astype(np.float32)).mean()


def detailed_photo(photo, width, height):
    """The photo enlarged, with fine sharp lines drawn over it: detail a working-size render cannot hold."""
    from PIL import ImageDraw

    image = Image.fromarray(resized(photo, width, height).pixels)
    draw = ImageDraw.Draw(image)
    rng = np.random.default_rng(3)
    for _ in range(150):
        x0, y0 = rng.integers(0, width), rng.integers(0, height)
        draw.line((x0, y0, x0 + rng.integers(-80, 80), y0 + rng.integers(-80, 80)), fill=tuple(rng.integers(0, 256, 3)))
    return Picture.from_uint8(np.asarray(image))


def test_enlarged_result_carries_the_photos_fine_detail(cpu_engine, photo):
    """Bringing a working-size result to full size adds the photo's own fine detail (here thin lines
    the working size cannot hold) instead of only blurring it up."""
    large = detailed_photo(photo, 1353, 900)
    out = render(cpu_engine, large, preset(2), stroke=2.0).pixels.astype(np.float32)
    working = render(cpu_engine, large, preset(2), stroke=2.0, output_long_side=512)
    blurry = np.asarray(Image.fromarray(working.pixels).resize(large.size, Image.Resampling.BICUBIC), dtype=np.float32)
    small_photo = Image.fromarray(large.pixels).resize(working.size, Image.Resampling.LANCZOS)
    photo_detail = large.pixels.astype(np.float32) - np.asarray(small_photo.resize(large.size, Image.Resampling.BICUBIC))
    added = (out - blurry).mean(axis=2).ravel()
    correlation = np.corrcoef(added, photo_detail.mean(axis=2).ravel())[0, 1]
    assert correlation > 0.15  # measured 0.27; plain enlargement gives 0


def test_strength_zero_on_a_preset_gives_back_the_photo(cpu_engine, photo):
    out = render(cpu_engine, photo, preset(5), strength=0.0, stroke=None)
    assert np.abs(out.pixels.astype(int) - photo.pixels.astype(int)).max() <= 1


def test_painting_strength_moves_towards_the_photo(cpu_engine, photo):
    style = painting(textured_painting())
    distances = [np.abs(render(cpu_engine, photo, style, strength=s).pixels.astype(float) - photo.pixels).mean()
                 for s in (0.0, 0.5, 1.0)]
    assert distances[0] < distances[1] < distances[2]


def test_preserve_colours_keeps_the_photo_chroma(cpu_engine, photo):
    out = render(cpu_engine, photo, preset(14), colour="photo", stroke=None)
    def chroma(p):
        return np.asarray(Image.fromarray(p.pixels).convert("YCbCr"), dtype=float)[:, :, 1:]
    assert np.abs(chroma(out) - chroma(photo)).mean() < 3


def test_blend_of_presets_differs_from_each(cpu_engine, photo):
    from engine import parse_preset_blend

    a, b = render(cpu_engine, photo, preset(3)), render(cpu_engine, photo, preset(12))
    mix = render(cpu_engine, photo, parse_preset_blend("3:0.5,12:0.5"))
    assert not np.array_equal(mix.pixels, a.pixels) and not np.array_equal(mix.pixels, b.pixels)


def test_alpha_is_reapplied(cpu_engine):
    rgba = np.zeros((64, 96, 4), dtype=np.uint8)
    rgba[..., :3] = 180
    rgba[16:48, 24:72, 3] = 255
    content = Picture(np.ascontiguousarray(rgba[..., :3]), np.ascontiguousarray(rgba[..., 3]), None, "cutout")
    out = render(cpu_engine, content, preset(1), stroke=None)
    assert out.alpha is not None and np.array_equal(out.alpha, content.alpha)


def test_output_size_is_honoured(cpu_engine, photo):
    out = render(cpu_engine, photo, preset(0), output_long_side=200)
    assert max(out.size) == 200 and abs(out.width / out.height - photo.width / photo.height) < 0.02


def test_progress_is_reported_and_monotonic(cpu_engine, photo):
    seen = []
    cpu_engine.render(RenderRequest(photo, preset(0), RenderSettings(output_long_side=900)), CancelToken(seen.append))
    assert seen[0] == 0.0 and seen[-1] == 1.0 and seen == sorted(seen) and len(seen) > 3


def test_cancel_stops_a_render(cpu_engine, photo):
    token = CancelToken()
    token.progress = lambda fraction, _original=token.progress: (token.cancel() if fraction > 0.1 else None,
                                                                  _original(fraction))
    with pytest.raises(Cancelled):
        cpu_engine.render(RenderRequest(photo, preset(0), RenderSettings(output_long_side=900)), token)


def test_bad_settings_are_refused():
    with pytest.raises(InvalidRequestError):
        RenderSettings(strength=1.5)
    with pytest.raises(InvalidRequestError):
        RenderSettings(stroke=100)
    with pytest.raises(InvalidRequestError):
        preset(26)


def test_tiny_images_are_refused(cpu_engine):
    with pytest.raises(InvalidRequestError, match="too small"):
        render(cpu_engine, Picture.from_uint8(np.zeros((8, 8, 3))), preset(0))


def test_style_vectors_are_cached_by_content(cpu_engine):
    painting_picture = textured_painting(seed=7)
    first = cpu_engine.style_vector(painting_picture)
    copy = Picture.from_uint8(painting_picture.pixels.copy(), "same pixels, other name")
    assert cpu_engine.style_vector(copy) is first


def test_style_vectors_persist_in_the_cache_folder(tmp_path):
    from engine import Engine, EngineSettings

    painting_picture = textured_painting(seed=11)
    first = Engine(EngineSettings(device="cpu", style_cache_dir=tmp_path)).style_vector(painting_picture)
    again = Engine(EngineSettings(device="cpu", style_cache_dir=tmp_path))
    again._predict_style = lambda picture: pytest.fail("the stored vector should have been used")
    assert torch.equal(again.style_vector(painting_picture), first)


def test_a_photos_own_style_vector_leaves_no_file_in_the_cache_folder(tmp_path):
    """A painting below strength 1 mixes in the photo's vector: every preview photo and video
    frame would otherwise leave a file behind."""
    from engine import Engine, EngineSettings, RenderSettings, painting

    engine = Engine(EngineSettings(device="cpu", style_cache_dir=tmp_path))
    art = textured_painting(seed=5)
    photo = Picture.from_uint8(np.asarray(textured_painting(seed=6).pixels)[:40, :48], "photo")
    engine.render(RenderRequest(photo, painting(art), RenderSettings(strength=0.5, stroke=None)))
    assert len(list(tmp_path.glob("*.npy"))) == 1
    assert [path.stem for path in tmp_path.glob("*.npy")] == [art.content_hash]


def test_a_palette_only_render_runs_no_network(tmp_path):
    """"palette" recolours the photo with the painting's colours: no style vector, no network."""
    from engine import Engine, EngineSettings, RenderSettings, painting

    engine = Engine(EngineSettings(device="cpu"))
    engine._predict_style = lambda picture: pytest.fail("a palette render needs no style vector")
    photo = Picture.from_uint8(np.asarray(textured_painting(seed=3).pixels)[:40, :48], "photo")
    result = engine.render(RenderRequest(photo, painting(textured_painting(seed=4)),
                                         RenderSettings(colour="palette", strength=0.5, stroke=None)))
    assert result.picture.size == photo.size
