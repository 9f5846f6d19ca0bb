import pytest
import torch
import torch.nn.functional as F

from engine.rendering.finishing import DetailTransfer, luma


def _enlarged_in_bands(transfer: DetailTransfer, photo_full: torch.Tensor, band_rows: int) -> torch.Tensor:
    height = photo_full.shape[-2]
    bands = [transfer.band(top, luma(photo_full[..., top : top + band_rows, :])[0, 0])
             for top in range(0, height, band_rows)]
    return torch.cat(bands, dim=1)[None]


def test_a_flat_picture_stays_flat_up_to_the_edges():
    flat = torch.full((1, 3, 40, 60), 0.5)
    transfer = DetailTransfer(flat, flat, (360, 240))
    enlarged = _enlarged_in_bands(transfer, torch.full((1, 3, 240, 360), 0.5), 64)
    assert enlarged.shape == (1, 3, 240, 360)
    assert (enlarged - 0.5).abs().max() < 1e-5


@pytest.mark.parametrize("band_rows", [7, 64, 1000])
def test_without_photo_detail_the_enlargement_is_bicubic_whatever_the_bands(band_rows):
    torch.manual_seed(band_rows)
    photo_small = torch.rand(1, 3, 30, 50)
    stylised_small = torch.rand(1, 3, 30, 50)
    out_w, out_h = 170, 101
    # A full-size photo with no more detail than the small one: nothing is added.
    photo_full = F.interpolate(photo_small, size=(out_h, out_w), mode="bicubic", align_corners=False)
    transfer = DetailTransfer(photo_small, stylised_small, (out_w, out_h))
    expected = F.interpolate(stylised_small, size=(out_h, out_w), mode="bicubic", align_corners=False).clamp(0, 1)
    assert torch.allclose(_enlarged_in_bands(transfer, photo_full, band_rows), expected, atol=1e-4)


def test_photo_detail_follows_the_local_gain():
    torch.manual_seed(0)
    photo_small = torch.rand(1, 3, 32, 32)
    transfer = DetailTransfer(photo_small, photo_small.clone(), (128, 128))  # stylised == photo: gain ~ 1
    photo_full = torch.rand(1, 3, 128, 128)
    enlarged = _enlarged_in_bands(transfer, photo_full, 50)
    plain = F.interpolate(photo_small, size=(128, 128), mode="bicubic", align_corners=False)
    # Where the gain is about one, the enlargement takes on the full-size photo's extra brightness detail.
    detail_added = (enlarged - plain).mean(dim=1)
    photo_detail = (photo_full - plain).mul(torch.tensor([0.299, 0.587, 0.114]).view(1, 3, 1, 1)).sum(dim=1)
    correlation = torch.corrcoef(torch.stack([detail_added.flatten(), photo_detail.flatten()]))[0, 1]
    assert correlation > 0.5


def test_a_pictures_brightness_is_read_from_its_integer_pixels():
    import numpy as np

    from engine import Picture

    rng = np.random.default_rng(0)
    for dtype, top in ((np.uint8, 255), (np.uint16, 65535)):
        picture = Picture(rng.integers(0, top + 1, (20, 30, 3)).astype(dtype))
        assert torch.allclose(picture.luma(3, 4, 10, 12), luma(picture.tensor(3, 4, 10, 12))[0, 0], atol=1e-6)


@pytest.mark.parametrize("radius", [1, 2, 4, 5, 9])
def test_the_box_filter_is_the_window_mean_with_edges_replicated_for_small_and_wide_windows(radius):
    from engine.rendering.finishing import box_filter

    torch.manual_seed(radius)
    picture = torch.rand(1, 2, 23, 31)
    size = 2 * radius + 1
    padded = F.pad(picture, (radius,) * 4, mode="replicate")
    window_mean = padded.unfold(2, size, 1).unfold(3, size, 1).mean(dim=(-1, -2))
    assert torch.allclose(box_filter(picture, radius), window_mean, atol=1e-6)


@pytest.mark.parametrize("cubic", [True, False])
@pytest.mark.parametrize(("small_size", "out_size", "band_rows"),
                         [((1, 1), (5, 3), 2), ((7, 1), (1, 9), 4), ((5, 3), (130, 70), 33), ((61, 37), (64, 32), 7),
                          ((50, 30), (65, 33), 1000)])
def test_band_enlargement_is_f_interpolate_whatever_the_sizes_and_bands(cubic, small_size, out_size, band_rows):
    from engine.rendering.finishing import BandEnlarger

    torch.manual_seed(band_rows)
    small = torch.rand(1, 3, small_size[1], small_size[0])
    out_w, out_h = out_size
    expected = F.interpolate(small, size=(out_h, out_w), mode="bicubic" if cubic else "bilinear", align_corners=False)
    enlarger = BandEnlarger(small, out_size, cubic)
    bands = [enlarger.band(top, min(band_rows, out_h - top)) for top in range(0, out_h, band_rows)]
    assert torch.allclose(torch.cat(bands, dim=1)[None], expected, atol=1e-5)
