"""lossplay losses, lossplay optimizers and lossplay gradcheck: what lossplay offers, and proof it is right."""

import click


@click.command()
@click.argument("name", required=False)
@click.option("--plot", is_flag=True, help="Draw every loss and its derivative in one picture.")
@click.option("--out", metavar="FILE", default="losses.png", show_default=True, help="Where --plot writes.")
@click.option("--force", is_flag=True, help="Let --plot replace an existing file.")
def losses(name, plot, out, force):
    """List the losses, or show one in full with a worked example.

    \b
    Examples:
      lossplay losses
      lossplay losses huber
      lossplay losses --plot
    """
    from lossplay import render
    from lossplay.losses import LOSSES
    from lossplay.registry import loss_class

    console = render.make_console()
    if plot:
        from lossplay import plots
        from lossplay.runs import write_file

        write_file(out, lambda: plots.png_bytes(plots.loss_shapes()), force=force)
        console.print(f"Wrote {out}: the regression losses and their derivatives against the residual, "
                      "and the classification losses against the probability of the true class.")
        return
    if name is None:
        console.print(render.losses_table(LOSSES))
        console.print("Details and a worked example: lossplay losses NAME.  Pictures: lossplay losses --plot.")
        return
    console.print(render.loss_card(loss_class(name)))


@click.command()
@click.argument("name", required=False)
def optimizers(name):
    """List the optimizers, or show one in full with its first steps on a parabola.

    \b
    Examples:
      lossplay optimizers
      lossplay optimizers adam
    """
    from lossplay import render
    from lossplay.optimizers import OPTIMIZERS
    from lossplay.registry import optimizer_class

    console = render.make_console()
    if name is None:
        console.print(render.optimizers_table(OPTIMIZERS))
        console.print("Details and worked steps: lossplay optimizers NAME.")
        return
    console.print(render.optimizer_card(optimizer_class(name), name))


@click.command()
@click.option("--loss", "loss_name", metavar="NAME", help="Check this loss only: a built-in name or your own, "
              "FILE.py:CLASS (this runs that file).  [default: every built-in loss]")
@click.option("--seed", type=click.IntRange(min=0), default=0, show_default=True, help="Seed of the random problems.")
@click.option("--tolerance", type=click.FloatRange(min=0, min_open=True), default=1e-6, show_default=True,
              help="The largest relative error that passes.")
@click.pass_context
def gradcheck(ctx, loss_name, seed, tolerance):
    """Check every loss and model's gradient against finite differences.

    For each loss on its model, with no penalty, L1, L2 and both, the gradient
    the training loop computes (with its own working arrays and shortcuts) is
    compared with central differences of the objective, (J(θ + h) − J(θ − h)) / 2h,
    at a random point. A right gradient agrees to about 1e-9; the command exits
    with 1 if any is off. --loss my_loss.py:Cauchy checks your own loss: the
    exercise's checker.

    \b
    Examples:
      lossplay gradcheck
      lossplay gradcheck --loss huber
      lossplay gradcheck --loss my_loss.py:Cauchy
    """
    from lossplay import render
    from lossplay.catalog import is_plugin, label
    from lossplay.errors import LossplayError
    from lossplay.gradcheck import cases_with_options, check_all
    from lossplay.registry import loss_class

    cls = None if loss_name is None else loss_class(loss_name)
    try:
        results = check_all(seed, None if cls is None else cases_with_options(label(loss_name), cls))
    except Exception as error:  # a user's own loss failed inside its code
        if loss_name is None or not is_plugin(loss_name):
            raise
        raise LossplayError(f"--loss {loss_name}: running it raised {type(error).__name__}: {error}.") from None
    console = render.make_console()
    console.print(render.gradcheck_table(results, tolerance))
    failed = [r for r in results if not r.passed(tolerance)]
    if failed:
        console.print(f"[red]{len(failed)} of {len(results)} gradients disagree with finite differences.[/]")
        if loss_name is not None:
            console.print(_where_it_differs(loss_name))
        ctx.exit(1)
    console.print(f"[green]All {len(results)} gradients agree with finite differences "
                  f"(largest relative error {max(r.relative_error for r in results):.1e}).[/]")


def _where_it_differs(spec):
    """The first row where a loss's derivative disagrees with the slope of its own losses (``check_loss``),
    at its defaults or at the first option value where it does."""
    from rich.markup import escape

    from lossplay.catalog import label
    from lossplay.errors import LossplayError
    from lossplay.gradcheck import variants
    from lossplay.registry import check_loss, loss_class

    for name, loss in variants(label(spec), loss_class(spec)):
        try:
            check_loss(loss, spec)
        except LossplayError as error:
            detail = str(error).split(": ", 1)[-1].split(" Check the formula")[0].rstrip(".")
            return f"{escape(name)}: {escape(detail)}. Check the formula of derivative against the loss."
    return ("Each row's derivative agrees with the slope of its own loss, so the difference is in how rows are "
            "combined: the cost must be the mean of losses(z, y).")
