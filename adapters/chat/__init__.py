"""What the Slack and Discord adapters share, written once and platform-neutral.

- :mod:`adapters.chat.runtime`: the synchronous conversation run off the event loop, failures turned
  into a private line with a reference id, and keyed replies delivered by editing the message a key
  was posted as (stored in the database, so any process can edit it).
- :mod:`adapters.chat.delivery`: a reply shown to everyone loses its share button, one failure line per
  request, and a dialog's state packed into and out of what the platform carries back.
- :mod:`adapters.chat.quiz_clock`: the loop that closes due quiz questions and edits countdowns.
- :mod:`adapters.chat.settings`: configuration read from the environment, one clear line when wrong.
- :mod:`adapters.chat.metrics`: the Prometheus metrics (answers, games, latency, API errors).
- :mod:`adapters.chat.ops`: ``/healthz`` and ``/metrics``, on their own port when the adapter has no HTTP server,
  and the shutdown that lets running interactions finish.

Each adapter keeps only its platform's part: parsing events, rendering a Reply, the SDK calls.
"""
