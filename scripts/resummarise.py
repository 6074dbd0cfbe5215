"""Rewrite the tables of finished benchmark results folders from their runs, running nothing (a benchmark, not a test):

  python scripts/resummarise.py results/rf-wide/meta-test [more folders ...]
  python scripts/resummarise.py --all      # every suite's folders under results/ (not results/design/)

What `metahpo benchmark` writes after its last run (`metahpo.suites.summarise`): regret.csv, paired.csv, ranks.csv,
tasks.csv, convergence.csv, curves.csv, summary.json and benchmark.png. Run it after a change of how results are
summarised (such as the sign-flip test that verdicts need since 2026-12-07); the runs themselves are not touched.
"""
import argparse, sys, time
from pathlib import Path
from metahpo.suites import summarise

ROOT = Path(__file__).resolve().parents[1] / 'results'

def folders() -> list[Path]:
    return sorted(p.parent for p in ROOT.glob('*/suite.json') if p.parent.name != 'design') + \
           sorted(p.parent for p in ROOT.glob('*/*/suite.json') if p.parent.parent.name != 'design')

def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('folders', nargs='*', type=Path)
    ap.add_argument('--all', action='store_true', help="every suite's results folders under results/")
    a = ap.parse_args(argv)
    todo = folders() if a.all else a.folders
    if not todo: ap.error('give results folders, or --all')
    for f in todo:
        t0 = time.perf_counter(); summarise(f)
        print(f"{f.relative_to(ROOT.parent) if f.is_absolute() else f}: summarised in {time.perf_counter() - t0:.1f} s", flush=True)
    return 0

if __name__ == '__main__': sys.exit(main())
