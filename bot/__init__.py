"""The conversation layer: command grammar, replies, rendering and the command-line interface."""
