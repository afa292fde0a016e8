"""One module per ``interregnum`` subcommand; each exposes ``register(commands)``."""
