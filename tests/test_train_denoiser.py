import os
import subprocess
import sys
from pathlib import Path

import keras
import numpy as np
import pytest

from dae_utils.cli.train_denoiser import main

PNG = b"\x89PNG\r\n\x1a\n"


def test_the_script_trains_and_writes_both_pictures_and_the_model(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "dae_utils.cli.train_denoiser", "--budget", "fast", "--epochs", "2",
         "--samples", "4", "--output", str(tmp_path / "out.png"),
         "--plot", str(tmp_path / "plot.png"), "--model", str(tmp_path / "model.keras"),
         "--schedule", "book"],
        capture_output=True, text=True, env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2"},
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stderr == "", "the command printed TensorFlow's log lines or warnings"
    assert "epoch 2/2" in result.stdout and "val_loss" in result.stdout
    assert "(book schedule: Adam peaking at 0.01" in result.stdout
    assert (tmp_path / "out.png").read_bytes()[:8] == PNG
    assert (tmp_path / "plot.png").read_bytes()[:8] == PNG
    model = keras.models.load_model(tmp_path / "model.keras")
    digits = np.zeros((3, 28, 28, 1), "float32")
    assert model.predict(digits, verbose=0).shape == digits.shape


@pytest.mark.parametrize(
    ("arguments", "message"),
    [(["--samples", "0"], "--samples: must be a positive integer"),
     (["--epochs", "two"], "--epochs: must be a positive integer"),
     (["--output", "result.jpg"], "must be a .png file"),
     (["--plot", "no/such/folder/plot.png"], "does not exist"),
     (["--budget", "huge"], "invalid choice"),
     (["--model", "model.h5"], "must end in .keras"),
     (["--schedule", "fastest"], "invalid choice")],
)
def test_bad_arguments_exit_with_a_clear_message(arguments, message, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(arguments)
    assert exit_info.value.code == 2
    assert message in capsys.readouterr().err


def test_more_samples_than_test_images_is_refused(tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["--budget", "fast", "--samples", "5000", "--output", str(tmp_path / "o.png"),
              "--plot", str(tmp_path / "p.png")])
    assert exit_info.value.code == 2
    assert "more than the 256 test images" in capsys.readouterr().err


def test_the_installed_console_script_runs():
    script = Path(sys.executable).with_name("dae-train-denoiser")
    assert script.exists(), "pip install (-e) . should install the dae-train-denoiser command"
    result = subprocess.run([str(script), "--help"], capture_output=True, text=True)
    assert result.returncode == 0 and "--samples" in result.stdout


def test_the_source_schedule_draws_the_noise_once(tmp_path, capsys):
    """--schedule source trains on one fixed noisy copy, like the source's script."""
    code = main(["--budget", "fast", "--epochs", "1", "--samples", "2", "--schedule", "source",
                 "--output", str(tmp_path / "out.png"), "--plot", str(tmp_path / "plot.png")])
    assert code == 0
    assert "(source schedule: Adam at 0.001, noise N(0.5, 0.5) drawn once)" in \
        capsys.readouterr().out
