"""Temporary alias: the notebook tool moved to ``course_utils.tools.notebooks``."""

import sys

from course_utils.tools.notebooks import *  # noqa: F403
from course_utils.tools.notebooks import main

if __name__ == "__main__":
    sys.exit(main())
