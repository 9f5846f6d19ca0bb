"""The high-quality renderer: the EfficientNet-Lite0 port, the optimisation, cancelling."""

from pathlib import Path

import pytest
import torch

from engine import (
    Cancelled,
    CancelToken,
    Engine,
    EngineSettings,
    RenderRequest,
    RenderSettings,
    load_picture,
    painting,
    preset,
)
from engine.loaded_networks import LoadedNetworks
from engine.rendering import optimise
from engine.rendering.optimise import Optimiser, Pyramid
from engine.rendering.resizing import resized
from engine.resources import resource_path
from engine.weights import load_feature_network

from .conftest import textured_painting

DATA = Path(__file__).parent / "data"
CAT_CLASSES = {281, 282, 285}  # tabby, tiger cat, Egyptian cat
ESPRESSO, COFFEE_MUG = 967, 504


@pytest.fixture(scope="module")
def features():
    return load_feature_network(torch.device("cpu"))


def centre_crop(picture, side=224):
    scale = side / min(picture.size)
    picture = resized(picture, round(picture.width * scale), round(picture.height * scale))
    return picture.tensor((picture.height - side) // 2, (picture.width - side) // 2, side, side)


def test_port_classifies_the_sample_photos(features):
    with torch.no_grad():
        cat = features(centre_crop(load_picture(resource_path("images", "chelsea.png")))).softmax(1)[0]
        cup = features(centre_crop(load_picture(DATA / "coffee.jpg"))).softmax(1)[0]
    assert set(cat.topk(3).indices.tolist()) == CAT_CLASSES and cat[list(CAT_CLASSES)].sum() > 0.8
    assert cup.argmax().item() == ESPRESSO and COFFEE_MUG in cup.topk(5).indices.tolist()


def small_problem(side=96):
    photo = resized(load_picture(DATA / "coffee.jpg"), side, side * 2 // 3).tensor()
    style = textured_painting(side=side).tensor()
    return photo, [(style, 1.0)]


def test_a_few_iterations_lower_the_loss(features):
    photo, paintings = small_problem()
    optimiser = Optimiser(features, Pyramid((1.0,), (25,)))
    result = optimiser.run(photo, paintings, photo, 1.0, CancelToken())
    assert result.shape == photo.shape and 0 <= result.min() and result.max() <= 1
    assert optimiser.losses[-1] < 0.5 * optimiser.losses[0]


def test_cancel_stops_within_one_evaluation(features):
    photo, paintings = small_problem()
    optimiser = Optimiser(features, Pyramid((1.0,), (50,)))
    calls = []

    def progress(fraction):
        calls.append(fraction)
        if len(calls) == 4:
            token.cancel()

    token = CancelToken(progress)
    with pytest.raises(Cancelled):
        optimiser.run(photo, paintings, photo, 1.0, token)
    assert len(optimiser.losses) <= 4  # the evaluation that saw the cancel never ran


def test_intermediate_pictures_reach_the_caller(features):
    photo, paintings = small_problem()
    seen = []
    Optimiser(features, Pyramid((1.0,), (45,))).run(photo, paintings, photo, 1.0, CancelToken(None, seen.append))
    assert len(seen) >= 2 and seen[-1].shape == photo.shape


@pytest.mark.parametrize("style", ["painting", "preset"])
def test_engine_renders_high_quality(cpu_engine, monkeypatch, style):
    monkeypatch.setattr(optimise.Pyramid, "for_long_side", classmethod(lambda cls, side: cls((0.5, 1.0), (8, 6))))
    photo = load_picture(DATA / "coffee.jpg")
    spec = painting(textured_painting()) if style == "painting" else preset(3)
    result = cpu_engine.render(RenderRequest(photo, spec, RenderSettings(quality="high", stroke=4.0)))
    assert result.picture.size == photo.size and result.working_size == (256, 171)


def engine_out_of_memory_above(monkeypatch, side_limit: int) -> tuple[Engine, list[int]]:
    """An engine whose feature network runs out of memory above ``side_limit`` px, as a small
    GPU's would, and the sides of every picture it was given."""
    from engine.rendering import optimise as optimise_module
    from engine.weights import load_feature_network

    monkeypatch.setattr(optimise_module, "MIN_RETRY_SIDE", 48)
    monkeypatch.setattr(optimise.Pyramid, "for_long_side", classmethod(lambda cls, side: cls((1.0,), (2,))))
    tried = []

    def load_features(device):
        network = load_feature_network(device)
        features = network.features

        def limited(image, *args):
            side = max(image.shape[-2:]) - 2 * optimise_module.BORDER  # the optimisation pads its picture
            tried.append(side)
            if side > side_limit:
                raise torch.OutOfMemoryError("CUDA out of memory (simulated)")
            return features(image, *args)

        network.features = limited
        return network

    return Engine(EngineSettings(device="cpu"), LoadedNetworks(load_features=load_features)), tried


def test_out_of_memory_retries_smaller_and_still_delivers_the_full_size(monkeypatch):
    engine, tried = engine_out_of_memory_above(monkeypatch, side_limit=100)
    photo = resized(load_picture(DATA / "coffee.jpg"), 160, 107)
    result = engine.render(RenderRequest(photo, preset(3), RenderSettings(quality="high", stroke=None)))
    assert list(dict.fromkeys(tried)) == [160, 120, 90]  # each size in turn
    assert result.picture.size == (160, 107)
    assert any("out of memory" in note for note in result.notes)


def test_out_of_memory_at_every_size_is_a_clear_error(monkeypatch):
    from engine import OutOfMemoryError

    engine, _ = engine_out_of_memory_above(monkeypatch, side_limit=0)
    photo = resized(load_picture(DATA / "coffee.jpg"), 160, 107)
    with pytest.raises(OutOfMemoryError, match="too little free memory"):
        engine.render(RenderRequest(photo, preset(3), RenderSettings(quality="high", stroke=None)))


def test_folded_batch_norms_give_the_same_features_and_gradients():
    from engine.networks.efficientnet_lite import EfficientNetLite0, fold_batch_norms
    from engine.weights import feature_weights_file

    state = torch.load(feature_weights_file(), map_location="cpu", weights_only=True)
    plain, folded = EfficientNetLite0(), EfficientNetLite0()
    for network in (plain, folded):
        network.load_state_dict(state, strict=True)
        network.eval().requires_grad_(False)
    fold_batch_norms(folded)
    wanted = {"stem", "depthwise1", "depthwise8", "block7"}
    gradients = []
    for network in (plain, folded):
        image = torch.rand(1, 3, 96, 80, generator=torch.Generator().manual_seed(0)).requires_grad_(True)
        features = network.features(image, wanted, 8)
        sum(f.square().mean() for f in features.values()).backward()
        gradients.append((features, image.grad))
    (plain_features, plain_grad), (folded_features, folded_grad) = gradients
    for name in wanted:
        assert torch.allclose(plain_features[name], folded_features[name], atol=1e-4, rtol=1e-4)
    assert torch.allclose(plain_grad, folded_grad, atol=1e-6, rtol=1e-3)


def test_in_place_relu6_has_the_gradient_of_clamp():
    from engine.networks.efficientnet_lite import relu6_

    x = (torch.randn(2, 3, 8, 8, generator=torch.Generator().manual_seed(4)) * 5).requires_grad_(True)
    weights = torch.randn(2, 3, 8, 8, generator=torch.Generator().manual_seed(5))
    ours = relu6_(x * 1.0)  # in place on a fresh tensor, as in the network
    (ours * weights).sum().backward()
    ours_grad, x.grad = x.grad, None
    reference = torch.clamp(x, 0.0, 6.0)
    (reference * weights).sum().backward()
    assert torch.equal(ours.detach(), reference.detach())
    assert torch.equal(ours_grad, x.grad)
