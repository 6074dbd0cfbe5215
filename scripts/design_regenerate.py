"""Do the design page's summary files still regenerate? Each cheap command the design page names (the summaries read
from committed run files, and the offline rounds) is run again from the committed inputs, one at a time; what it
writes is compared with the committed file, which is then put back as it was. A file that comes out otherwise is kept
beside it, under results/design/regenerated/, so the page can show what today's code gives; the committed file stays
the record of what its round read and decided on.

    PYTHONPATH=. METAHPO_DATA_DIR=../shared/data python scripts/design_regenerate.py    # results/design/regenerate.csv
    python scripts/design_regenerate.py --only rank_design.py                           # one script's commands

The tuning runs themselves (`<view> <variants>`) are not run: they take hours; `scripts/rerun_tasks.py --check-only`
checks committed suite runs bit for bit instead.
"""
import argparse, os, subprocess, sys, time
from pathlib import Path
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
DESIGN = ROOT / 'results' / 'design'
OUT = DESIGN / 'regenerated'

# (script and its arguments, the files under results/design it writes)
COMMANDS = [
    ('experience_design.py --summary', ['experience.csv']),
    ('experience_design.py --summary --meta-test', ['experience-test.csv']),
    ('meta_val_design.py --summary', ['meta-val-variants.csv']),
    ('meta_val_width.py --summary', ['meta-val-width.csv']),
    ('dkgp_design.py --summary', ['meta-val-dkgp.csv']),
    ('warm_start_offline.py', ['warm-start-offline.csv']),
    ('similarity_design.py', ['noise-floor.csv', 'similarity.csv']),
    ('lstm_noise.py', ['noise-floor-lstm.csv']),
    ('cover_design.py --summary', ['cover.csv']),
    ('rank_design.py --summary', ['rank.csv']),
    ('rank_design.py --rates', ['rank-rates.csv']),
    ('context_design.py --summary', ['context.csv']),
    ('context_design.py --rates', ['context-rates.csv']),
    ('impute_design.py --summary', ['impute.csv']),
    ('impute_design.py --pooled', ['impute-pooled.csv']),
    ('impute_design.py --rates', ['impute-rates.csv']),
    ('zs_warm_design.py --summary', ['zs-warm.csv']),
    ('pool_design.py --pooled', ['pool-pooled.csv']),
    ('none_design.py --summary', ['none.csv']),
    ('yahpo_start_design.py --offline', ['yahpo-start-offline.csv']),
    ('yahpo_start_design.py --pooled', ['yahpo-start-pooled.csv']),
    ('evidence_design.py --summary', ['evidence.csv']),
    ('residual_design.py --summary', ['residual.csv']),
    ('residual_design.py --train', ['residual-train.csv']),
    ('pooled_design.py --select', ['pooled-select.csv']),
    ('pooled_design.py --confirm', ['pooled-confirm.csv']),
    ('pooled_design.py --surrogate', ['pooled-surrogate.csv']),
    ('policy_design.py --summary', ['policy.csv']),
    ('hyperbo_design.py --summary', ['hyperbo.csv']),
    ('hyperbo_design.py --confirm', ['hyperbo-confirm.csv']),
    ('yahpo_xgb_start_design.py --pooled', ['yahpo-xgb-start-pooled.csv']),
    ('hindsight_design.py', ['hindsight.csv', 'hindsight-best.csv']),
    ('similarity_oracle.py', ['similarity-oracle.csv']),
    ('lstm_profile_noise.py', ['lstm-profile-noise.csv']),
    ('surrogate_decisions.py', ['surrogate-decisions.csv']),
    ('fomaml_anneal_design.py --summary', ['fomaml-anneal.csv']),
    ('mislead_design.py --summary', ['mislead.csv']),
    ('gate_design.py --summary', ['gate.csv']),
    ('gate_design.py --fires', ['gate-fires.csv']),
    ('gate_design.py --base-check', ['gate-base-check.csv']),
]

def compare(old:bytes, new:bytes|None) -> dict:
    "Identical or not; if not, the rows of each, and where both have the same rows: how many rows differ, in which columns, and the largest difference of a fraction (a float column)."
    if new is None: return dict(identical=False, note='not written')
    if old == new: return dict(identical=True)
    import io
    a, b = pd.read_csv(io.BytesIO(old)), pd.read_csv(io.BytesIO(new))
    row = dict(identical=False, rows_committed=len(a), rows_now=len(b))
    if list(a.columns) != list(b.columns) or len(a) != len(b): return {**row, 'note': 'other rows or columns'}
    cols = [c for c in a.columns if not a[c].astype(str).equals(b[c].astype(str))]
    differ = (a[cols].astype(str) != b[cols].astype(str)).any(axis=1)
    floats = [c for c in cols if pd.api.types.is_float_dtype(a[c]) and pd.api.types.is_float_dtype(b[c])]
    return {**row, 'rows_differing': int(differ.sum()), 'columns_differing': ' '.join(cols),
            'largest_difference': float((a[floats] - b[floats]).abs().max().max()) if floats else None}

def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split('\n\n')[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--only', default=None, help="only the commands of this script, e.g. rank_design.py")
    p.add_argument('--timeout', type=float, default=900, help='seconds a command may take (default 900)')
    a = p.parse_args(argv)
    todo = [(c, f) for c, f in COMMANDS if a.only is None or c.split()[0] == a.only]
    if not todo: p.error(f"--only {a.only!r} names no script of these commands: {', '.join(sorted({c.split()[0] for c, _ in COMMANDS}))}")
    OUT.mkdir(exist_ok=True)
    table = DESIGN / 'regenerate.csv'
    rows = pd.read_csv(table).to_dict('records') if table.exists() and a.only else []
    rows = [r for r in rows if r['command'] not in {f'python scripts/{c}' for c, _ in todo}]  # this run's commands: their rows anew
    env = {**os.environ, 'PYTHONPATH': str(ROOT)}
    for i, (cmd, files) in enumerate(todo, 1):
        kept = {f: (DESIGN / f).read_bytes() for f in files}
        t0 = time.time()
        try:
            r = subprocess.run([sys.executable, str(ROOT / 'scripts' / cmd.split()[0]), *cmd.split()[1:]], cwd=ROOT, env=env,
                               capture_output=True, text=True, timeout=a.timeout)
            rc, err = r.returncode, r.stderr.strip().splitlines()[-1:]
        except subprocess.TimeoutExpired: rc, err = 'timeout', []
        try:
            for f in files:
                new = (DESIGN / f).read_bytes() if (DESIGN / f).exists() else None
                c = compare(kept[f], new) if rc == 0 else dict(identical=False, note=f"exit {rc}: {err[0][:200] if err else ''}")
                if not c['identical'] and new is not None and rc == 0: (OUT / f).write_bytes(new)
                elif (OUT / f).exists(): (OUT / f).unlink()  # identical now: no copy to show
                rows.append(dict(command=f'python scripts/{cmd}', file=f'results/design/{f}', **c))  # no seconds: the table regenerates too
        finally:
            for f, b in kept.items(): (DESIGN / f).write_bytes(b)  # the committed file, as it was
        print(f"[{i}/{len(todo)}] {cmd} ({time.time() - t0:.0f} s): " + ', '.join(f"{Path(r['file']).name} {'identical' if r['identical'] else 'DIFFERS'}" for r in rows[-len(files):]), flush=True)
    order = {f'python scripts/{c}': i for i, (c, _) in enumerate(COMMANDS)}
    out = pd.DataFrame(rows).drop_duplicates('file', keep='last').sort_values('command', key=lambda s: s.map(order), kind='stable')
    out = out.reindex(columns=['command', 'file', 'identical', 'rows_committed', 'rows_now', 'rows_differing', 'columns_differing', 'largest_difference', 'note'])
    out = out.astype({c: 'Int64' for c in ('rows_committed', 'rows_now', 'rows_differing')})  # counts, also beside empty cells
    out.to_csv(table, index=False)
    print(f"{int(out.identical.sum())} of {len(out)} files regenerate identically; {table.relative_to(ROOT)}")

if __name__ == '__main__': main()
