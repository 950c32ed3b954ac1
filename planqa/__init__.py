"""planqa: answers about Chinese plan notices with clause-level citations."""

__version__ = "0.1.0"
