"""Where the `rolefit` command and `python -m rolefit` start."""

import gc


def main() -> None:
    # One run lasts a moment and keeps nearly everything it builds until it exits, so
    # the cyclic garbage collector would find almost nothing to free; what it does cost
    # is walking every object made so far, again and again, while the imports and a
    # large knowledge base are loaded (about a tenth of a small run's time, and more
    # for a large knowledge base). Reference counting still frees what is dropped.
    gc.disable()
    from rolefit.cli import main as run

    run()


if __name__ == "__main__":
    main()
