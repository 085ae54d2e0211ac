"""rolefit: a career-fit advisor for the terminal."""

__version__ = "0.1.0"
