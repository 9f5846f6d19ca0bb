"""The CPU shortcuts in the shared layers give the same numbers as the plain formulas."""

import pytest
import torch
import torch.nn.functional as F

from engine.networks.layers import (
    NormStatistics,
    RecordingStatistics,
    ReflectConv,
    ReplayedStatistics,
    affine_instance_norm,
    channel_mean_var,
)


@pytest.mark.parametrize("kernel", [3, 9])
@pytest.mark.parametrize("stride", [1, 2])
@pytest.mark.parametrize("height, width", [(37, 96), (40, 41), (81, 64)])
@pytest.mark.parametrize("channels_last", [False, True])
def test_reflect_conv_without_a_padded_copy_matches_padding_first(kernel, stride, height, width, channels_last):
    torch.manual_seed(kernel * 100 + height)
    layer = ReflectConv(5, 6, kernel, stride, bias=True)
    x = torch.randn(1, 5, height, width)
    if channels_last:
        x = x.contiguous(memory_format=torch.channels_last)
    padded_first = layer.conv(F.pad(x, (kernel // 2,) * 4, mode="reflect"))
    with torch.inference_mode():
        result = layer._zero_padded_then_edges_redone(x)
    assert result.shape == padded_first.shape
    assert torch.allclose(result, padded_first, atol=1e-5)


def _plain_instance_norm(x, gamma, beta, eps=1e-5):
    var, mean = torch.var_mean(x, dim=(2, 3), keepdim=True, correction=0)
    return (x - mean) / torch.sqrt(var + eps) * gamma[:, :, None, None] + beta[:, :, None, None]


@pytest.mark.parametrize("channels", [3, 32])
@pytest.mark.parametrize("channels_last", [False, True])
def test_instance_norm_matches_the_definition(channels, channels_last):
    torch.manual_seed(channels)
    x = torch.randn(1, channels, 48, 40) * 3 + 1
    if channels_last:
        x = x.contiguous(memory_format=torch.channels_last)
    gamma, beta = torch.randn(1, channels), torch.randn(1, channels)
    result = affine_instance_norm(x, gamma, beta, NormStatistics())
    assert torch.allclose(result, _plain_instance_norm(x, gamma, beta), atol=1e-4)


@pytest.mark.parametrize("channels", [3, 32])
def test_recorded_statistics_replay_to_the_same_result(channels):
    torch.manual_seed(1)
    x = torch.randn(1, channels, 32, 32).contiguous(memory_format=torch.channels_last) * 2 + 0.5
    gamma, beta = torch.randn(1, channels), torch.randn(1, channels)
    recorder = RecordingStatistics()
    recorded_run = affine_instance_norm(x, gamma, beta, recorder)
    (mean, var), = recorder.recorded
    expected_mean, expected_var = channel_mean_var(x.contiguous())
    assert torch.allclose(mean, expected_mean, atol=1e-5) and torch.allclose(var, expected_var, rtol=1e-4)
    # Replayed on another image, the recorded statistics are used, not the image's own.
    other = torch.randn_like(x)
    replayed = affine_instance_norm(other, gamma, beta, ReplayedStatistics(recorder.recorded))
    expected = (other - mean) / torch.sqrt(var + 1e-5) * gamma[:, :, None, None] + beta[:, :, None, None]
    assert torch.allclose(replayed, expected, atol=1e-4)
    assert torch.allclose(affine_instance_norm(x, gamma, beta, ReplayedStatistics(recorder.recorded)),
                          recorded_run, atol=1e-4)


def test_a_batch_normalises_each_image_on_its_own():
    torch.manual_seed(2)
    x = torch.randn(3, 8, 20, 24) * torch.tensor([1.0, 5.0, 0.2])[:, None, None, None]
    gamma, beta = torch.randn(3, 8), torch.randn(3, 8)
    assert torch.allclose(affine_instance_norm(x, gamma, beta, NormStatistics()),
                          _plain_instance_norm(x, gamma, beta), atol=1e-4)


@pytest.mark.parametrize("height, width", [(5, 7), (16, 16), (33, 20)])
@pytest.mark.parametrize("bias", [False, True])
@pytest.mark.parametrize("channels_last", [False, True])
def test_upsampling_conv_equals_enlarging_first(height, width, bias, channels_last):
    torch.manual_seed(height + width)
    layer = ReflectConv(6, 5, 3, bias=bias, upsample=True)
    x = torch.randn(1, 6, height, width)
    if channels_last:
        x = x.contiguous(memory_format=torch.channels_last)
    enlarged = F.interpolate(x, scale_factor=2.0, mode="nearest")
    expected = layer.conv(F.pad(enlarged, (1, 1, 1, 1), mode="reflect"))
    with torch.inference_mode():
        result = layer(x)
    assert result.shape == (1, 5, 2 * height, 2 * width)
    assert torch.allclose(result, expected, atol=1e-5)


def test_a_large_activation_takes_the_no_copy_path_with_the_same_result():
    torch.manual_seed(3)
    layer = ReflectConv(32, 32, 3, 2)
    x = torch.randn(1, 32, 352, 400).contiguous(memory_format=torch.channels_last)  # 4.5 M elements
    with torch.inference_mode():
        result = layer(x)
    assert torch.allclose(result, layer.conv(F.pad(x, (1, 1, 1, 1), mode="reflect")), atol=1e-5)
