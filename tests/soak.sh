#!/bin/sh
# The studio's soak test: thousands of random actions on the fake engine, then a shorter run on
# the real one (about 15 s on a 2-core CPU; the default test run includes it). Extra arguments go to pytest.
cd "$(dirname "$0")/.." && QT_QPA_PLATFORM=offscreen exec python -m pytest -m soak tests/desktop -s -q "$@"
