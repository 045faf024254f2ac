import pytest

from dae_utils.learning_rates import warmup_cosine


def test_warmup_cosine_rises_for_one_epoch_then_falls_to_zero():
    rate = warmup_cosine(peak=0.01, epochs=5, steps_per_epoch=8)
    rates = [float(rate(step)) for step in range(41)]
    assert rates[0] == pytest.approx(0.001)
    assert max(rates) == pytest.approx(0.01) and rates.index(max(rates)) == 8
    assert all(a < b for a, b in zip(rates[:8], rates[1:9]))  # up during the first epoch
    assert all(a >= b for a, b in zip(rates[8:], rates[9:]))  # then only down
    assert rates[40] == pytest.approx(0.0, abs=1e-9)


def test_warmup_cosine_with_one_epoch_still_decays():
    rate = warmup_cosine(peak=0.01, epochs=1, steps_per_epoch=4)
    assert float(rate(4)) == pytest.approx(0.0, abs=1e-9)


@pytest.mark.parametrize("kwargs, message", [
    ({"peak": 0, "epochs": 2, "steps_per_epoch": 3}, "peak"),
    ({"peak": 0.01, "epochs": 0, "steps_per_epoch": 3}, "epochs"),
    ({"peak": 0.01, "epochs": 2, "steps_per_epoch": 1.5}, "steps_per_epoch"),
])
def test_warmup_cosine_refuses_bad_arguments(kwargs, message):
    with pytest.raises(ValueError, match=message):
        warmup_cosine(**kwargs)
