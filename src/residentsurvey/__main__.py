"""``python -m residentsurvey``: the same as the ``residentsurvey`` command."""

import sys

from .cli import main

if __name__ == "__main__":
    sys.exit(main())
