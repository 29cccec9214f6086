"""The Slack adapter: slack-bolt events become conversation calls, Replies become Block Kit."""
