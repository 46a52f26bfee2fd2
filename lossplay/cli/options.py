"""Command-line options built from ``TrainConfig``, listed by section in --help."""

import click
from click.core import ParameterSource

from lossplay.config import ALL_COMMAND_KEYS, FIELDS, SECTIONS, make_config, read_config, value_type

_CLICK_TYPES = {int: click.INT, float: click.FLOAT, str: click.STRING}


class ConfigOption(click.Option):
    """A click option that remembers which help section it belongs to."""

    def __init__(self, *args, section=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.section = section


class SectionedCommand(click.Command):
    """A command whose --help lists its options under section headings."""

    def format_options(self, ctx, formatter):
        groups = {}
        for param in self.get_params(ctx):
            record = param.get_help_record(ctx)
            if record is not None:
                groups.setdefault(getattr(param, "section", None) or "Other options", []).append(record)
        known = (*SECTIONS, "Step by step", "Comparison")
        order = [*known, *(name for name in groups if name not in known and name != "Other options"), "Other options"]
        for section in order:
            if section in groups:
                with formatter.section(section):
                    formatter.write_dl(groups[section])


def _field_option(name, field, default_override=None, shown_override=None):
    meta = field.metadata
    kind = value_type(name)
    default = field.default if default_override is None else default_override
    shown = meta["shown"] if default_override is None else None
    shown = shown_override or shown
    help_text = meta["help"] if shown is None else f"{meta['help']}  [default: {shown}]"
    show_default = shown is None and default is not None and default is not False
    common = {"help": help_text, "section": meta["section"], "cls": ConfigOption,
              "show_default": show_default}
    if kind is bool:
        declaration = meta["flag"]
        if "/" in declaration:
            return click.option(declaration, name, default=default, **{**common, "show_default": shown is None})
        return click.option(declaration, name, is_flag=True, default=default, **{**common, "show_default": False})
    return click.option("--" + name.replace("_", "-"), name, type=_CLICK_TYPES[kind], default=default,
                        metavar=meta["metavar"], **common)


def config_options(exclude=(), defaults=None, shown=None):
    """Decorator adding every ``TrainConfig`` option (except ``exclude``) plus --config FILE.

    ``defaults`` changes the default of some options for this command;
    ``shown`` changes how a default is described in --help.
    """
    defaults, shown = defaults or {}, shown or {}

    def decorate(function):
        for name, field in reversed(FIELDS.items()):
            if name not in exclude:
                function = _field_option(name, field, defaults.get(name), shown.get(name))(function)
        return click.option(
            "--config", "config_file", metavar="FILE|NAME", cls=ConfigOption, section="Output",
            help="Read options from a TOML file (keys as above, with _ for -), or from a config shipped with "
                 "lossplay, by name from any folder (see 'lossplay configs'; a file of that name in the current "
                 "folder wins); options given here win.",
        )(function)

    return decorate


def file_values(ctx, config_file):
    """The values of a TOML config file, read and checked once per command (it may be standard input)."""
    cache = ctx.meta.setdefault("lossplay.config_files", {})
    if config_file not in cache:
        cache[config_file] = read_config(config_file, extra=ALL_COMMAND_KEYS)
    return cache[config_file]


def config_from_command_line(ctx, config_file, values, exclude=(), defaults=None):
    """The validated ``TrainConfig``: command defaults, then the TOML file, then explicit options.

    A file written for another command may hold options this one does not use
    (``exclude``, and the commands' own keys, ``COMMAND_KEYS``): they are skipped.
    """
    options = dict(defaults or {})
    if config_file is not None:
        from_file = file_values(ctx, config_file)
        options.update({k: v for k, v in from_file.items() if k not in exclude and k not in ALL_COMMAND_KEYS})
    for name, value in values.items():
        if ctx.get_parameter_source(name) is ParameterSource.COMMANDLINE:
            options[name] = value
    return make_config(**options)


def command_values_from_file(ctx, config_file, command):
    """The values a config file gives this command's own options (``COMMAND_KEYS[command]``), for those
    not given on the command line, converted and checked as the command line would."""
    from lossplay.config import COMMAND_KEYS

    if config_file is None:
        return {}
    from_file = file_values(ctx, config_file)
    values = {}
    for param in ctx.command.params:
        name = param.name
        if name not in COMMAND_KEYS[command] or name not in from_file:
            continue
        if ctx.get_parameter_source(name) is ParameterSource.COMMANDLINE:
            continue
        value = _checked(param, from_file[name], f"Config file '{config_file}'")
        try:
            values[name] = param.type_cast_value(ctx, value)
        except click.BadParameter as error:
            raise click.UsageError(f"Config file '{config_file}': '{name}': {error.format_message()}", ctx) from None
    return values


def _checked(param, value, origin):
    """A config file's value for a command's own option, with the type the option takes (checked by
    ``config.coerce``, as train's options are): a flag takes true or false, a whole number an integer,
    a number an integer or a float, a text option a text or (optimizers, start) a list, joined with commas."""
    from lossplay.config import coerce

    if getattr(param, "is_flag", False):
        kind = bool
    elif isinstance(param.type, click.types.IntParamType):
        kind = int
    elif isinstance(param.type, click.types.FloatParamType):
        kind = float
    else:
        kind = str
        if isinstance(value, list) and all(isinstance(v, (str, int, float)) and not isinstance(v, bool)
                                           for v in value):
            value = ",".join(str(v) for v in value)  # optimizers = ["sgd", "adam"], start = [-1, 5]
    return coerce(value, kind, f"{origin}: '{param.name}'")
