"""Drop TensorFlow's native start-up log lines from the outputs stored in notebooks, and
join consecutive printed outputs of a cell into one block.

    python scripts/drop_tensorflow_logs.py notebooks/*.ipynb      (`make notebooks` runs it)

TensorFlow's C++ runtime writes lines such as "I0000 ... port.cc:153] oneDNN custom operations
are on" to the kernel's stderr while it loads, whatever TF_CPP_MIN_LOG_LEVEL says. Colab and
GitHub show stored outputs as they are, so those lines are removed after a run. Only such
lines go: any other stderr text (a Python warning, a traceback) stays, to be seen and fixed.
"""

import json
import re
import sys
from pathlib import Path

NATIVE_LOG = re.compile(
    r"^([IWEF]\d{4} [\d:.]+ +\d+ \S+:\d+\] .*"                     # absl/TSL log lines
    r"|WARNING: All log messages before absl::InitializeLog\(\) is called are written to STDERR"
    r"|\d{4}-\d\d-\d\d [\d:.]+: [IWE] tensorflow/\S+\] .*"          # older TF log format
    r"|To enable the following instructions: .* rebuild TensorFlow with the appropriate "
    r"compiler flags\.)$")


def clean(notebook: Path) -> int:
    """Remove native log lines from `notebook`'s stderr outputs; return how many went."""
    content = json.loads(notebook.read_text())
    dropped = 0
    for cell in content["cells"]:
        kept = []
        for output in cell.get("outputs", []):
            if output.get("name") == "stderr":
                lines = "".join(output["text"]).splitlines(keepends=True)
                rest = [line for line in lines if not NATIVE_LOG.match(line.rstrip("\n"))]
                dropped += len(lines) - len(rest)
                if not "".join(rest).strip():
                    continue
                output["text"] = rest
            kept.append(output)
        if "outputs" in cell:
            cell["outputs"] = join_streams(kept)
    notebook.write_text(json.dumps(content, indent=1, ensure_ascii=False) + "\n")
    return dropped


def join_streams(outputs: list) -> list:
    """The same outputs, with each run of consecutive same-stream outputs joined into one."""
    joined = []
    for output in outputs:
        previous = joined[-1] if joined else None
        if (output.get("output_type") == "stream" and previous is not None
                and previous.get("output_type") == "stream"
                and previous.get("name") == output.get("name")):
            text = "".join(previous["text"]) + "".join(output["text"])
            previous["text"] = text.splitlines(keepends=True)
        else:
            joined.append(output)
    return joined


if __name__ == "__main__":
    for name in sys.argv[1:]:
        print(f"{name}: dropped {clean(Path(name))} TensorFlow log lines")
