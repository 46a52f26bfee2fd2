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
    from lossplay.gradcheck import cases_of, check_all
    from lossplay.registry import make_loss

    only = None if loss_name is None else cases_of(loss_name, make_loss(loss_name))
    results = check_all(seed, only)
    console = render.make_console()
    console.print(render.gradcheck_table(results, tolerance))
    failed = [r for r in results if not r.passed(tolerance)]
    if failed:
        console.print(f"[red]{len(failed)} of {len(results)} gradients disagree with finite differences.[/]")
        ctx.exit(1)
    console.print(f"[green]All {len(results)} gradients agree with finite differences "
                  f"(largest relative error {max(r.relative_error for r in results):.1e}).[/]")
