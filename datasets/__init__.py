"""Real datasets shipped with lossplay as CSV files; see README.md in this folder."""
