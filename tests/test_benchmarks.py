"""The benchmarks still run: every section at tiny sizes, no speed goal checked (that needs a quiet machine)."""

import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent.parent / "benchmarks" / "bench.py"


def test_every_benchmark_section_runs_at_tiny_sizes():
    result = subprocess.run([sys.executable, str(BENCH), "--smoke"], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    for title in ("Goal 1", "Goal 2: mini-batch 32, sgd", "Goal 2: mini-batch 32, adam", "Goal 3: full batch logistic",
                  "Goal 3: full batch softmax", "Goal 4: start-up", "Goal 5", "Goal 6"):
        assert title in result.stdout, title
    assert "GOAL" not in result.stdout  # smoke sizes say nothing about speed
