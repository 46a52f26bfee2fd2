"""Every bundled lesson at full size, as a class would see it: each one run with its pictures and handout.

    python benchmarks/lessons.py                    # every lesson
    python benchmarks/lessons.py robust-losses      # one lesson

Prints one line per lesson: its exit code, the seconds it took, its handout's pages, and for each demo
it runs whether the demo's checked lesson held on these numbers. Everything is written to a temporary
folder that is removed at the end. The test suite runs each lesson with reduced sizes and no pictures
(tests/test_lessons.py); this is the slow full run, about half a minute.
"""

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from click.testing import CliRunner  # noqa: E402

from lossplay import lessons  # noqa: E402
from lossplay.cli import cli  # noqa: E402


def run(name, folder):
    """(exit code, seconds, handout pages, {step: whether its demo's lesson held}) of one lesson."""
    started = time.perf_counter()
    result = CliRunner().invoke(cli, ["lesson", name, "--out", str(folder / name),
                                      "--handout", str(folder / f"{name}-handout")])
    seconds = time.perf_counter() - started
    handout = folder / f"{name}-handout"
    pages = sorted(p.name for p in handout.glob("*.html")) if handout.is_dir() else []
    held = {}
    for compare in sorted((folder / name).glob("*-demo/compare.json")):
        lesson = json.loads(compare.read_text(encoding="utf-8")).get("lesson") or {}
        held[compare.parent.name] = lesson.get("holds")
    if result.exit_code != 0:
        print(result.output, result.stderr, sep="\n")
    return result.exit_code, seconds, pages, held


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help="lessons to run (default: all)")
    args = parser.parse_args(argv)
    names = args.names or list(lessons.BUNDLED)
    failed = 0
    with tempfile.TemporaryDirectory() as scratch:
        for name in names:
            code, seconds, pages, held = run(name, Path(scratch))
            demos = ", ".join(f"{step}: {'holds' if ok else 'does not hold'}" for step, ok in held.items())
            print(f"{name:22} exit {code}  {seconds:5.1f} s  handout: {', '.join(pages) or 'none'}"
                  + (f"  demos: {demos}" if demos else ""))
            failed += code != 0 or len(pages) != 2 or not all(held.values())
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
