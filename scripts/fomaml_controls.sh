#!/usr/bin/env bash
# Do the meta-test runs of MetaTuner with its surrogate meta-trained by first-order MAML (`meta-fomaml`, the ablation
# beside Reptile) come out the same on this machine? Per suite, reruns its first meta-test task and three control tasks
# and compares the controls' rows with the committed files (scripts/rerun_tasks.py --check-only; nothing is written).
# Prints the CPU it ran on. About 4 minutes on one core:
#   bash scripts/fomaml_controls.sh > results/reproducibility/fomaml-controls.log
cd "$(dirname "$0")/.." && export PYTHONPATH=. OMP_NUM_THREADS=1 OPENBLAS_CORETYPE=Haswell METAHPO_DATA_DIR=${METAHPO_DATA_DIR:-../shared/data}
PY=${PY:-.venv/bin/python}
$PY scripts/cpu_line.py
for s in rf-grid rf-wide lcbench rbv2_xgboost lstm text image; do
  t=$($PY -c "import json; print(json.load(open('results/$s/meta-test/suite.json'))['tasks'][0])")
  echo "=== $s (task $t)"
  timeout 900 $PY scripts/rerun_tasks.py --suite $s --protocol meta-test --tasks $t --controls 3 --tuners meta-fomaml --check-only 2>&1 | grep -v "it/s\|task/s\|Warn\|warn"
done
