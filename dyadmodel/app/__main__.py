"""``python -m dyadmodel.app``: the same as ``dyadmodel explore``."""

import sys

from dyadmodel.app import main

sys.exit(main())
