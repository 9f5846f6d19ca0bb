"""The bundled executable's entry: the same launcher as the ``impasto`` console script."""

import multiprocessing
import sys

from desktop.app.launcher import main

if __name__ == "__main__":
    multiprocessing.freeze_support()
    sys.exit(main())
