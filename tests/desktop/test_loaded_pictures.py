import pytest

from desktop.studio.library import StyleLibrary
from desktop.studio.pictures import KEEP_PASTED, KEEP_PHOTOS, SAMPLE_KEY, LoadedPictures
from engine import ImpastoError, Picture

from .helpers import write_image


@pytest.fixture
def pictures(tmp_path) -> LoadedPictures:
    return LoadedPictures(StyleLibrary(tmp_path / "styles"), max_input_pixels=10_000_000)


def test_only_the_last_few_photos_stay_and_an_older_one_is_read_again(pictures, tmp_path, monkeypatch):
    paths = [write_image(tmp_path / f"p{i}.png", colour=(i * 40, 0, 0)) for i in range(KEEP_PHOTOS + 2)]
    first = pictures.photo(str(paths[0]))
    for path in paths[1:]:
        pictures.photo(str(path))
    assert len(pictures._photos) == KEEP_PHOTOS
    again = pictures.photo(str(paths[0]))  # read from the file again, same pixels
    assert again is not first and (again.pixels == first.pixels).all()


def test_a_photo_gone_since_gives_a_clear_error(pictures, tmp_path):
    with pytest.raises(ImpastoError):
        pictures.photo(str(tmp_path / "missing.jpg"))


def test_pasted_photos_are_kept_apart_and_the_oldest_dropped(pictures):
    import numpy as np

    keys = [pictures.add_pasted(Picture(np.full((8, 8, 3), i, np.uint8), None, None, f"pasted {i}"))
            for i in range(KEEP_PASTED + 1)]
    assert pictures.photo(keys[-1]).name == f"pasted {KEEP_PASTED}"
    with pytest.raises(KeyError):
        pictures.photo(keys[0])


def test_a_small_copy_is_made_once_and_matches_the_engines_preview_size(pictures):
    small = pictures.photo_shrunk(SAMPLE_KEY, 200)
    assert small is pictures.photo_shrunk(SAMPLE_KEY, 200)
    assert small.size == (200, 133)  # chelsea.png is 451x300: as the engine's _scaled rounds it
    assert pictures.photo_shrunk(SAMPLE_KEY, 900).size == (451, 300)  # never enlarged


def test_paintings_come_from_the_library(pictures, tmp_path):
    style = pictures._library.add(write_image(tmp_path / "painting.png", colour=(10, 200, 30)))
    assert pictures.painting(style.style_id).pixels[0, 0].tolist() == [10, 200, 30]
    with pytest.raises(KeyError):
        pictures.painting("no-such-style")
