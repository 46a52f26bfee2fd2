"""python -m lossplay: the same as the lossplay command."""

from lossplay.cli import main

if __name__ == "__main__":
    main()
