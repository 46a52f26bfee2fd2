"""Files as a handout names them: by their own name, never with the folders of the machine that made the page.

A handout is printed, mailed and opened on a student's phone: the teacher's folders
(``/home/teacher/courses/...``) mean nothing there and are nobody else's business. So
the page names a CSV file, a user's loss or optimizer file and the run folder itself
by their own names only, everywhere: settings, every option, commands, captions and
the footer. The full paths are not in the page at all, not even in a tooltip.
"""

import shlex

from lossplay.catalog import file_name, is_plugin, label

# the options whose values a recorded command may hold as a path or a user's PATH.py:CLASS
PATH_OPTIONS = ("--dataset", "--loss", "--optimizer", "--optimizers", "--config")


def has_folders(value):
    """Whether a text names a file with its folders (a separator in it)."""
    return "/" in value or "\\" in value


def shown_name(value):
    """A dataset, a loss or an optimizer as the page names it: a file by its own name, a user's class as
    FILE.py:CLASS (``catalog.label``), a comma-separated list item by item; any other text as it is."""
    text = str(value)
    if "," in text and any(has_folders(part) for part in text.split(",")):
        return ",".join(shown_name(part) for part in text.split(","))
    if is_plugin(text) or is_plugin(text.rpartition("@")[0]):
        return label(text)
    return file_name(text) if has_folders(text) else text


def shown_words(command):
    """The words of a command lossplay recorded (a ``lossplay train ...`` line), every path among them named
    by its file alone; a text that does not split into words is one word."""
    try:
        words = shlex.split(str(command))
    except ValueError:
        return [str(command)]
    shown = []
    for previous, word in zip(["", *words], words):
        flag, equals, value = word.partition("=")
        if equals and flag in PATH_OPTIONS:
            shown.append(f"{flag}={shown_name(value)}")
        elif previous in PATH_OPTIONS or is_plugin(word):
            shown.append(shown_name(word))
        else:
            shown.append(word)
    return shown


def named_files(config):
    """The files of ``config`` (a dataset, a user's loss or optimizer) that the page names without their
    folders, as those names."""
    values = [config.get(name) for name in ("dataset", "loss", "optimizer")]
    return [shown_name(value) for value in values if isinstance(value, str) and has_folders(value)]


def files_note(config):
    """A sentence saying that the files of a command are named without their folders, or None when the
    config names none by a path."""
    names = named_files(config)
    if not names:
        return None
    listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    one = len(names) == 1
    return (f"{listed} {'is' if one else 'are'} named without {'its' if one else 'their'} folders: run the command "
            f"where {'it is' if one else 'they are'}, or write {'its path' if one else 'their paths'} on your "
            "computer instead.")
