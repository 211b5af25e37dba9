"""`python -m recmock serve ...`."""

import sys

from recmock.cli import main

sys.exit(main())
