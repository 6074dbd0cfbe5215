"""The seed plan's bert grid: `python scripts/gpu_bert_grid.py [options]` is `python scripts/gpu_grid.py bert [options]` (see there)."""
import sys
from gpu_grid import main  # scripts/, beside this file

if __name__ == '__main__':
    sys.exit(main(['bert', *sys.argv[1:]]))
