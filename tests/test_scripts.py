"""scripts/drop_tensorflow_logs.py: TensorFlow's native log lines go, everything else stays."""

import importlib.util
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SPEC = importlib.util.spec_from_file_location("drop_tensorflow_logs",
                                              ROOT / "scripts" / "drop_tensorflow_logs.py")
drop_tensorflow_logs = importlib.util.module_from_spec(SPEC)
SPEC.loader.exec_module(drop_tensorflow_logs)

NATIVE = [
    "WARNING: All log messages before absl::InitializeLog() is called are written to STDERR\n",
    "I0000 00:00:1795400199.117793   28840 port.cc:153] oneDNN custom operations are on.\n",
    "E0000 00:00:1795400203.398467   28840 cuda_platform.cc:52] failed call to cuInit: (303)\n",
    "To enable the following instructions: AVX2 FMA, in other operations, rebuild TensorFlow "
    "with the appropriate compiler flags.\n",
]
WARNING = "/x/epoch_iterator.py:74: UserWarning: `shuffle=True` was passed\n"


def _notebook(tmp_path, stderr_texts):
    outputs = [{"output_type": "stream", "name": "stderr", "text": text} for text in stderr_texts]
    outputs.append({"output_type": "stream", "name": "stdout", "text": ["Run record: ...\n"]})
    path = tmp_path / "chapter.ipynb"
    path.write_text(json.dumps({"cells": [{"cell_type": "code", "outputs": outputs,
                                           "source": "", "metadata": {}}],
                                "metadata": {}, "nbformat": 4, "nbformat_minor": 5}))
    return path


def test_native_log_lines_go_and_warnings_stay(tmp_path):
    path = _notebook(tmp_path, [NATIVE, [NATIVE[1], WARNING]])
    assert drop_tensorflow_logs.clean(path) == 5
    outputs = json.loads(path.read_text())["cells"][0]["outputs"]
    assert [o["name"] for o in outputs] == ["stderr", "stdout"]  # the all-log output is gone
    assert outputs[0]["text"] == [WARNING]


def test_stored_chapters_hold_no_tensorflow_log_lines():
    for notebook in sorted((ROOT / "notebooks").glob("*.ipynb")):
        for cell in json.loads(notebook.read_text())["cells"]:
            for output in cell.get("outputs", []):
                if output.get("name") == "stderr":
                    for line in "".join(output["text"]).splitlines():
                        assert not drop_tensorflow_logs.NATIVE_LOG.match(line), (
                            f"{notebook.name} stores a TensorFlow log line: {line[:80]}")


def test_consecutive_prints_become_one_block(tmp_path):
    path = _notebook(tmp_path, [])
    content = json.loads(path.read_text())
    content["cells"][0]["outputs"] = [
        {"output_type": "stream", "name": "stdout", "text": ["epoch 1\n"]},
        {"output_type": "stream", "name": "stdout", "text": ["epoch 2\n", "done\n"]},
        {"output_type": "display_data", "data": {"text/plain": "<Figure>"}, "metadata": {}},
        {"output_type": "stream", "name": "stdout", "text": ["after the figure\n"]},
    ]
    path.write_text(json.dumps(content))
    drop_tensorflow_logs.clean(path)
    outputs = json.loads(path.read_text())["cells"][0]["outputs"]
    assert [o["output_type"] for o in outputs] == ["stream", "display_data", "stream"]
    assert outputs[0]["text"] == ["epoch 1\n", "epoch 2\n", "done\n"]


def test_stored_training_logs_are_one_block():
    for notebook in sorted((ROOT / "notebooks").glob("*.ipynb")):
        for cell in json.loads(notebook.read_text())["cells"]:
            outputs = cell.get("outputs", [])
            for first, second in zip(outputs, outputs[1:]):
                assert not (first["output_type"] == second["output_type"] == "stream"
                            and first["name"] == second["name"]), (
                    f"{notebook.name} stores consecutive {first['name']} outputs")
