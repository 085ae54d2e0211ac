"""Where the `rolefit` command and `python -m rolefit` start."""

import gc


def main() -> None:
    # One run lasts a moment and keeps nearly everything it builds until it exits, so
    # the cyclic garbage collector would find almost nothing to free. What it would
    # cost is walking every object made so far, again and again while the imports and
    # the knowledge base are loaded, and once more at exit; freezing them first spares
    # that last walk. Together these take about a quarter off a small run. Reference
    # counting still frees whatever is dropped.
    gc.disable()
    try:
        from rolefit.cli import main as run
    except KeyboardInterrupt:  # Ctrl-C while the imports run, before the CLI can handle it
        import sys

        sys.stderr.write("rolefit: interrupted\n")
        raise SystemExit(130) from None

    try:
        run()
    finally:
        gc.freeze()


if __name__ == "__main__":
    main()
