"""The seed plan's resnet50 grid: `python scripts/gpu_resnet_grid.py [options]` is `python scripts/gpu_grid.py resnet50 [options]` (see there)."""
import sys
from gpu_grid import main  # scripts/, beside this file

if __name__ == '__main__':
    sys.exit(main(['resnet50', *sys.argv[1:]]))
