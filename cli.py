"""Run the gait command line from a checkout: ``python cli.py analyze VIDEO``.

Same as the installed ``gait`` console script (gait.cli:main).
"""
import sys

from gait.cli import main

if __name__ == "__main__":
    sys.exit(main())
