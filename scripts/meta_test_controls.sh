#!/usr/bin/env bash
# Do the committed meta-test runs come out the same on this machine? Reruns the headline comparison (meta, meta-past,
# zero-shot and nn-warm-start, seed 0) on the meta-test tasks of the three suites issue 16's target names, into a
# temporary folder, and compares each run file with the committed one row by row (scripts/compare_runs.py's rule).
# Prints the CPU it ran on. About 4 minutes on one core:
#   bash scripts/meta_test_controls.sh > results/reproducibility/meta-test-controls.log
cd "$(dirname "$0")/.." && export PYTHONPATH=. OMP_NUM_THREADS=1 OPENBLAS_CORETYPE=Haswell METAHPO_DATA_DIR=${METAHPO_DATA_DIR:-../shared/data}
PY=${PY:-.venv/bin/python}
OUT=$(mktemp -d); trap 'rm -rf "$OUT"' EXIT
TUNERS=meta,meta-past,zero-shot,nn-warm-start
$PY scripts/cpu_line.py
for s in rf-wide lcbench rbv2_xgboost; do
  echo "=== $s (meta-test)"
  $PY -m metahpo.cli benchmark --suite $s --out "$OUT" --seeds 1 --tuners $TUNERS --no-surrogate-report --no-progress >/dev/null 2>"$OUT/$s.err" \
    || { echo "the rerun failed:"; tail -n 5 "$OUT/$s.err"; continue; }
  $PY - "$s" "$OUT" "$TUNERS" <<'PY'
import sys; sys.path.insert(0, 'scripts')
from pathlib import Path
from compare_runs import compare
s, out, tuners = sys.argv[1], Path(sys.argv[2]), sys.argv[3].split(',')
msgs = [(t, compare(Path(f'results/{s}/meta-test/runs/{t}-seed0.parquet'), out / s / 'meta-test' / 'runs' / f'{t}-seed0.parquet')) for t in tuners]
for t, m in msgs: print(f'{t}-seed0: {m}')
print(f"{sum(m.startswith('identical') for _, m in msgs)} of {len(msgs)} run files made again bit for bit")
PY
done
