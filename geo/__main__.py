"""``python -m geo``: the same as the ``geo`` command."""

from geo.cli.main import main

if __name__ == "__main__":
    main(prog_name="geo")
