#!/usr/bin/env bash
# Do the leave-one-task-out MetaTuner runs of each suite come out the same on this machine? Reruns one task and two
# control tasks of meta, meta-sur, meta-ei and meta-past per suite and compares the controls' rows with the committed
# files (scripts/rerun_tasks.py --check-only; nothing is written). Prints the CPU it ran on. About 6 minutes on one core:
#   bash scripts/loto_controls.sh > results/reproducibility/loto-controls.log
cd "$(dirname "$0")/.." && export PYTHONPATH=. OMP_NUM_THREADS=1 OPENBLAS_CORETYPE=Haswell METAHPO_DATA_DIR=${METAHPO_DATA_DIR:-../shared/data}
PY=${PY:-.venv/bin/python}
$PY scripts/cpu_line.py
for s in lstm text image lcbench rf-grid rbv2_xgboost; do
  t=$($PY -c "import json; print(json.load(open('results/$s/suite.json'))['tasks'][0])")
  [ $s = rf-grid ] && t=cmc,contraceptive
  echo "=== $s (task $t)"
  timeout 1500 $PY scripts/rerun_tasks.py --suite $s --protocol loto --tasks $t --tuners meta,meta-sur,meta-ei,meta-past --check-only 2>&1 | grep -v "it/s\|task/s\|Warn\|warn"
done
