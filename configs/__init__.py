"""Example configs and the classroom demos' configs, shipped with lossplay (see README.md)."""
