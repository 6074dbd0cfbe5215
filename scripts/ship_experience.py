"""Merge meta-dataset builds into the shipped experience base (metahpo/data/experience.parquet), losing nothing.

    python scripts/ship_experience.py /work/builds/meta-lstm.db            # the LSTM meta-dataset's studies join the base

The shipped base is imported into a fresh repository, then the matching studies (default 'meta-*') of every
repository named, then `build_experience` writes the base again. Imports add only what is new (trials are
known by their uid), so a build that resumed since the last merge adds its new trials and nothing twice. A study
built again from scratch (other trials, the same configurations) adds only the configurations the base lacks, where
every configuration both hold has the same value in both (the builds measure deterministically); the script
refuses to write when they disagree, when a study of the old base would lose a trial or change a value, or when a
study would hold a configuration twice, and prints what the new base holds per model family. With nothing new it
leaves the base as it was.
"""
import argparse, fnmatch, glob, logging, shutil, sys, tempfile
from pathlib import Path
import numpy as np
from metahpo.experience import build_experience, load_experience, shipped_experience_path
from metahpo.repository import Repository


def _same(old, new) -> bool:
    "Whether two experience bases hold the same studies, evaluations and meta-features."
    rows = lambda ex: {(e.study, e.space.key(c), repr(float(v))) for e in ex for c, v in zip(e.configs, e.values)}  # repr: a NaN equals a NaN
    mf = lambda ex: {(t.name, t.model_family, t.fingerprint): repr(sorted((t.meta_features or {}).items())) for t in ex.tasks}
    return rows(old) == rows(new) and mf(old) == mf(new)


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    p.add_argument('repos', nargs='+', help='repositories holding meta-dataset studies')
    p.add_argument('--studies', default='meta-*', help="glob of the studies to take from them (default 'meta-*')")
    p.add_argument('--min-trials', type=int, default=1, help='take only studies with at least this many trials (27: complete seed grids)')
    p.add_argument('--out', default=None, help='output file (default: the shipped base, replaced)')
    a = p.parse_args(argv)
    old_path = shipped_experience_path()
    old = load_experience(old_path)
    with tempfile.TemporaryDirectory() as tmp:
        combined = Path(tmp) / 'combined.db'
        with Repository(combined) as repo:
            repo.import_parquet(old_path)
            for i, src in enumerate(a.repos):
                with Repository(src) as r:
                    names = [s.name for s in r.studies() if fnmatch.fnmatchcase(s.name, a.studies) and r.n_trials(s) >= a.min_trials]
                    parts = [r.export_parquet(Path(tmp) / f'part{i}-{j}.parquet', studies=glob.escape(name)) for j, name in enumerate(names)]
                    theirs = {name: r.trials(name) for name in names}
                quiet, hush = logging.getLogger('metahpo.repository'), lambda record: record.levelno >= logging.ERROR
                quiet.addFilter(hush)  # the import's warnings name this script's temporary files: it says what matters below (a filter: the logger's level stays)
                try: n = [repo.import_parquet(part) for part in parts]
                finally: quiet.removeFilter(hush)
                again = 0
                for name, x in zip(names, n):  # evaluations left out as measured here already (a study built again): the same values, or refused
                    if not x.get('held'): continue
                    s = repo.get_study(name)
                    here = {s.space.key(t.config): t.value for t in repo.trials(s) if t.ok}
                    odd = [(t.config, here[k], t.value) for t in theirs[name] if t.ok and (k := s.space.key(t.config)) in here
                           and not np.isclose(here[k], t.value, rtol=1e-9, atol=1e-12)]
                    if odd:
                        c, v0, v1 = odd[0]
                        sys.exit(f"refused: study {name} of {src} measures {len(odd)} configuration(s) the base holds with another value "
                                 f"(e.g. {c}: {v0!r} in the base, {v1!r} in {src}): two builds of one study disagree (other settings, "
                                 f"data or library versions); build it into another study, or leave it out with --studies")
                    again += x['held']
                print(f"{src}: {len(names)} studies match {a.studies!r} with at least {a.min_trials} trial(s); "
                      f"{sum(x['studies'] for x in n)} new studies, {sum(x['trials'] for x in n)} new trials"
                      + (f"; {again} evaluation(s) the base already holds, measured again with the same values, left out" if again else ''))

        out = Path(a.out) if a.out else Path(tmp) / 'new.parquet'
        build_experience(combined, out)
        new = load_experience(out)
        by_study = {e.study: e for e in new}
        for e in old:  # nothing of the old base lost or changed
            f = by_study.get(e.study)
            if f is None: sys.exit(f"refused: study {e.study} of the old base is missing from the merge")
            old_rows = {e.space.key(c): v for c, v in zip(e.configs, e.values)}
            new_rows = {f.space.key(c): v for c, v in zip(f.configs, f.values)}
            if any(k not in new_rows or not np.isclose(new_rows[k], v, equal_nan=True) for k, v in old_rows.items()):
                sys.exit(f"refused: study {e.study} would lose or change an evaluation")
        for f in new:  # two builds of one study (the same name, other trials) would repeat configurations
            if len({f.space.key(c) for c in f.configs}) < len(f.configs): sys.exit(f"refused: study {f.study} would hold a configuration twice; leave it out with --studies")
        if not a.out and _same(old, new):  # no study, evaluation or meta-feature added: the shipped file is not written again
            print(f"nothing new: {old_path} is left as it was ({old})")
            return 0
        if not a.out: shutil.copyfile(out, old_path)
        dest = Path(a.out) if a.out else old_path
    summary = new.summary()
    print(f"wrote {dest} ({dest.stat().st_size / 1e6:.2f} MB): {new}")
    print(summary.groupby('space').agg(tasks=('task', 'nunique'), evaluations=('n', 'sum'), cpu_h=('cpu_h', 'sum')).round(3).to_string())
    return 0


if __name__ == '__main__':
    sys.exit(main())
