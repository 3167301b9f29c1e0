"""Maintainer tools (not needed by a learner's notebook): run them with ``python -m``.

- ``notebooks``: check, strip and refresh the committed notebooks;
- ``report``: the course run report (``make report``);
- ``build_data``: rebuild ``data/`` from its published sources;
- ``workspace``: the learner's workspace that ``make lab`` serves.
"""
