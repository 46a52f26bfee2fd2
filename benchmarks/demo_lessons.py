"""How often each demo's lesson holds: every demo over 20 seeds (0..19), its claim checked each time.

    python benchmarks/demo_lessons.py              # every demo, 20 seeds
    python benchmarks/demo_lessons.py optimizers   # one demo
    python benchmarks/demo_lessons.py --seeds 5

Prints one line per demo: how many seeds support its lesson, and the seeds that do not, with the
demo's own summary of what it saw there. A demo is meant to hold on at least 19 of 20 seeds; on the
others it says honestly that the numbers of that seed do not show its lesson. Slow (a minute or two), so it
is not part of the test suite; the README gives its last result.
"""

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from lossplay import demos  # noqa: E402


def sweep(name, seeds):
    """(seeds where the lesson holds, {seed: summary} where it does not)."""
    demo = demos.find(name)
    held, missed = [], {}
    for seed in seeds:
        claim = demos.run(demo, seed=seed).claim
        if claim.holds:
            held.append(seed)
        else:
            missed[seed] = claim.summary
    return held, missed


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help="demos to sweep (default: all)")
    parser.add_argument("--seeds", type=int, default=20, help="seeds 0..N-1 (default 20)")
    args = parser.parse_args(argv)
    names = args.names or list(demos.DEMOS)
    seeds = range(args.seeds)
    failed = False
    for name in names:
        started = time.perf_counter()
        held, missed = sweep(name, seeds)
        seconds = time.perf_counter() - started
        print(f"{name:18s} lesson holds on {len(held):2d} of {len(seeds)} seeds ({seconds:.1f} s)")
        for seed, summary in missed.items():
            print(f"    seed {seed}: {summary}")
        failed = failed or len(held) < len(seeds) - len(seeds) // 20
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
