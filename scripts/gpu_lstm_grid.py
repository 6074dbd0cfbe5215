"""The seed plan's lstm grid: `python scripts/gpu_lstm_grid.py [options]` is `python scripts/gpu_grid.py lstm [options]` (see there)."""
import sys
from gpu_grid import main  # scripts/, beside this file

if __name__ == '__main__':
    sys.exit(main(['lstm', *sys.argv[1:]]))
