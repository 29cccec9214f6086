"""The Discord adapter: discord.py events become conversation calls, Replies become embeds and buttons.

- :mod:`.main`: settings and start-up (``statusbot discord``).
- :mod:`.client`: the sharded client, its start-up sync and the typed-answer listener.
- :mod:`.commands`: the application commands (``/status``, ``/quiz``, "Check with statusbot").
- :mod:`.interactions`: answering an interaction in time and routing each Reply where it belongs.
- :mod:`.components`: the persistent button, routed by its ``custom_id`` alone.
- :mod:`.render`: a Reply as an embed and its buttons, within Discord's limits.
- :mod:`.sender`: channel posts and edits for the shared chat runtime.
"""
