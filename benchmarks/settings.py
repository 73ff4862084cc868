"""The bench server's settings: production settings, with the reference list routed too."""

from qwensite.settings import *  # noqa: F403

ROOT_URLCONF = "benchmarks.urls"
