"""lossplay report: one HTML page that holds a folder's settings, numbers and pictures."""

import click


@click.command()
@click.argument("folder", metavar="RUN_DIR", type=click.Path(path_type=str))
@click.option("--out", metavar="FILE", type=click.Path(path_type=str),
              help="The HTML file to write.  [default: RUN_DIR/report.html]")
@click.option("--force", is_flag=True, help="Replace the file if it already exists.")
def report(folder, out, force):
    """Write a self-contained HTML handout of a run, comparison, landscape or lr-find folder.

    RUN_DIR is a folder written by lossplay train, compare, landscape or
    lr-find. The page shows the settings, how training went, the final
    metrics and learned parameters, and every picture with a few words on
    what it shows and what to look for. The pictures are inside the file, so
    it can be mailed, printed as a handout or opened on a phone, offline.

    \b
    Examples:
      lossplay report runs/20261127-123123-huber-adam
      lossplay report runs/compare-20261127-124102 --out outliers.html
      lossplay report my-run --force
    """
    from lossplay.cli import say
    from lossplay.report import write_report
    from lossplay.terminal import printable

    written = write_report(folder, out, force=force)
    for problem in written.missing:
        say(f"Warning: {printable(problem)}", err=True)
    path = written.path.resolve()
    say(f"Wrote {printable(written.path)}. Open it in a web browser:\n  {path.as_uri()}")
