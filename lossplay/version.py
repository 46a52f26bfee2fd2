"""The version of lossplay, recorded in every file it writes (run.json's lossplay_version, the handouts)."""

__version__ = "0.1.0"
