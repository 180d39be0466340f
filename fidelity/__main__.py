"""``python -m fidelity``: the same command line as the ``fidelity`` script."""

from fidelity.cli import main

if __name__ == "__main__":
    main()
