"""Tables of what lossplay offers: datasets (and later losses and optimizers)."""

from rich import box
from rich.table import Table


def datasets_table(catalog):
    """Every dataset: name, kind, task, size, features and what it is good for."""
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, title="Datasets (use with --dataset NAME)")
    table.add_column("name", style="bold", no_wrap=True)
    table.add_column("task")
    table.add_column("rows", justify="right")
    table.add_column("feat.", justify="right")
    table.add_column("good for")
    for info in catalog.values():
        table.add_row(info.name, f"{info.task}\n[dim]{info.kind}[/]", str(info.n_rows), str(info.n_features),
                      info.good_for)
    return table
