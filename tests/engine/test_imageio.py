"""Reading every kind of file an artist may drop, and writing without ever losing work."""

import io

import numpy as np
import pytest
from PIL import Image

from engine import ImageReadError, ImageWriteError, Picture, load_picture, save_picture


def save(image: Image.Image, path, **options):
    image.save(path, **options)
    return path


@pytest.fixture
def rgb():
    rng = np.random.default_rng(0)
    return Image.fromarray(rng.integers(0, 256, (40, 60, 3), dtype=np.uint8))


def test_exif_orientation_is_applied(tmp_path, rgb):
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90° clockwise to display
    path = save(rgb, tmp_path / "rotated.jpg", exif=exif)
    assert load_picture(path).size == (40, 60)


def test_alpha_is_kept(tmp_path, rgb):
    rgba = rgb.convert("RGBA")
    rgba.putalpha(Image.new("L", rgb.size, 77))
    picture = load_picture(save(rgba, tmp_path / "alpha.png"))
    assert picture.alpha is not None and (picture.alpha == 77).all()


def test_palette_with_transparency(tmp_path, rgb):
    pal = rgb.convert("P", palette=Image.ADAPTIVE)
    pal.info["transparency"] = 0
    picture = load_picture(save(pal, tmp_path / "pal.png", transparency=0))
    assert picture.pixels.shape == (40, 60, 3) and picture.alpha is not None


@pytest.mark.parametrize("mode", ["L", "LA", "CMYK", "1"])
def test_other_modes_become_rgb(tmp_path, rgb, mode):
    suffix = "jpg" if mode == "CMYK" else "png"
    picture = load_picture(save(rgb.convert(mode), tmp_path / f"m.{suffix}"))
    assert picture.pixels.shape == (40, 60, 3) and picture.pixels.dtype == np.uint8


def test_sixteen_bit_grey_keeps_its_depth(tmp_path):
    ramp = (np.linspace(0, 65535, 64 * 32).reshape(32, 64)).astype(np.uint16)
    picture = load_picture(save(Image.fromarray(ramp), tmp_path / "deep.png"))
    assert picture.pixels.dtype == np.uint16 and picture.pixels[..., 0].max() > 60000


def test_icc_profile_travels_to_the_output(tmp_path, rgb):
    from PIL import ImageCms

    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    picture = load_picture(save(rgb, tmp_path / "icc.png", icc_profile=profile))
    out = save_picture(picture, tmp_path / "out.jpg")
    assert Image.open(out).info.get("icc_profile") == profile


def test_pixel_limit_refuses_bombs_before_decoding(tmp_path, rgb):
    path = save(rgb, tmp_path / "big.png")
    with pytest.raises(ImageReadError, match="big.png.*megapixels"):
        load_picture(path, max_pixels=1000)


@pytest.mark.parametrize("content, message", [
    (b"", "empty"),
    (b"this is a text file, not a picture", "not an image"),
])
def test_unreadable_files_name_the_file(tmp_path, content, message):
    path = tmp_path / "bad.png"
    path.write_bytes(content)
    with pytest.raises(ImageReadError, match=f"bad.png.*{message}"):
        load_picture(path)


def test_truncated_file(tmp_path, rgb):
    data = io.BytesIO()
    rgb.save(data, "PNG")
    path = tmp_path / "cut.png"
    path.write_bytes(data.getvalue()[: len(data.getvalue()) // 2])
    with pytest.raises(ImageReadError, match="cut.png.*damaged or truncated"):
        load_picture(path)


def test_missing_file_and_folder(tmp_path):
    with pytest.raises(ImageReadError, match="no such file"):
        load_picture(tmp_path / "nope.png")
    with pytest.raises(ImageReadError, match="folder"):
        load_picture(tmp_path)


def test_never_overwrites_without_asking(tmp_path):
    target = tmp_path / "art.png"
    target.write_bytes(b"the artist's original")
    picture = Picture.from_uint8(np.zeros((8, 8, 3)))
    with pytest.raises(ImageWriteError, match="already exists"):
        save_picture(picture, target)
    assert target.read_bytes() == b"the artist's original"
    save_picture(picture, target, overwrite=True)
    assert load_picture(target).size == (8, 8)
    assert [p.name for p in tmp_path.iterdir()] == ["art.png"]  # no temporary file left behind


def test_failed_write_leaves_nothing(tmp_path):
    with pytest.raises(ImageWriteError, match="unsupported"):
        save_picture(Picture.from_uint8(np.zeros((8, 8, 3))), tmp_path / "art.xyz")
    with pytest.raises(ImageWriteError, match="no such folder"):
        save_picture(Picture.from_uint8(np.zeros((8, 8, 3))), tmp_path / "missing" / "art.png")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("suffix", ["png", "jpg", "webp", "tif"])
def test_output_formats_round_trip(tmp_path, suffix):
    gradient = np.dstack([*np.meshgrid(np.arange(64) * 4, np.arange(48) * 5), np.full((48, 64), 90)]).astype(np.uint8)
    picture = Picture.from_uint8(gradient)
    back = load_picture(save_picture(picture, tmp_path / f"out.{suffix}", quality=95))
    tolerance = 0 if suffix in ("png", "tif") else 2
    assert np.abs(back.pixels.astype(int) - picture.pixels.astype(int)).mean() <= tolerance


def test_sixteen_bit_tiff(tmp_path):
    ramp = np.linspace(0, 65535, 48 * 32 * 3).reshape(32, 48, 3).astype(np.uint16)
    path = save_picture(Picture(ramp, None, None, "deep"), tmp_path / "deep.tif", sixteen_bit=True)
    with Image.open(path) as image:
        assert image.size == (48, 32) and image.tag_v2[258] == (16, 16, 16)
        image.load()  # Pillow decodes 16-bit RGB to 8 bit; the file keeps all 48 bits
    stored = np.frombuffer(path.read_bytes()[-ramp.nbytes:], dtype="<u2").reshape(ramp.shape)
    assert np.array_equal(stored, ramp)
