"""Platform adapters: console, Slack and Discord translate events to commands and replies to messages."""
