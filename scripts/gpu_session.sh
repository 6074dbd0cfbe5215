#!/usr/bin/env bash
# A bounded GPU check of the deep-learning trainers at full scale, for a GPU lent for minutes rather than hours.
#
#   METAHPO_DATA_DIR=../shared/data bash scripts/gpu_session.sh OUTDIR
#
# 1. scripts/gpu_cost_probe.py: measured time a step of ResNet-50, bert-base and the LSTM at every grid batch size,
#    and the full grids' projected training hours (no data or weights needed);
# 2. scripts/gpu_grid.py resnet50 at full scale (45,000 images, CIFAR stem, bf16) on the grid's cheapest row:
#    batch 128, 10 epochs, the three learning rates;
# 3. scripts/gpu_grid.py lstm at full scale on the batch-64 row (3 learning rates x 20/50/100 epochs), as far as
#    its time budget goes (a grid script stops starting trials when its budget is spent).
# Each phase has a hard time limit and a failed phase does not stop the next; everything lands in OUTDIR: the log (session_log.txt),
# the probe's JSON, and each grid's JSON summary and CSV. Set PHASE_S="probe resnet lstm" caps in seconds to change
# the limits (default "120 300 130"). bert-base-uncased's weights need the Hugging Face hub (or a local copy, given to
# scripts/gpu_grid.py bert --model); this check measures its cost but does not fine-tune it.
set -u
out=${1:?give an output folder}
mkdir -p "$out" /tmp/metahpo_gpu
read -r cap_probe cap_resnet cap_lstm <<< "${PHASE_S:-120 300 130}"
here=$(cd "$(dirname "$0")" && pwd)
export PYTHONUNBUFFERED=1
start=$(date +%s)
log() { echo "[$(( $(date +%s) - start )) s] $*"; }
{
  log "nvidia-smi"; nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader || true
  python3 -c "import torch, transformers, sys; print('python', sys.version.split()[0], 'torch', torch.__version__, 'cuda', torch.cuda.is_available(), 'transformers', transformers.__version__)"
  log "phase 1: cost probe (cap ${cap_probe} s)"
  timeout "$cap_probe" python3 "$here/gpu_cost_probe.py" --out "$out/probe.json" || log "probe ended with status $?"
  log "phase 2: ResNet-50 full scale, batch 128, 10 epochs (cap ${cap_resnet} s)"
  timeout "$cap_resnet" python3 "$here/gpu_grid.py" resnet50 --only batch_size=128 epochs=10 --no-progress \
      --budget "3,$(( cap_resnet > 170 ? cap_resnet - 110 : 60 ))s" --repository /tmp/metahpo_gpu/resnet_grid.db || log "resnet ended with status $?"
  log "phase 3: LSTM full scale, batch 64 (cap ${cap_lstm} s)"
  timeout "$cap_lstm" python3 "$here/gpu_grid.py" lstm --only batch_size=64 --no-progress \
      --budget "9,$(( cap_lstm > 80 ? cap_lstm - 40 : 40 ))s" --repository /tmp/metahpo_gpu/lstm_grid.db || log "lstm ended with status $?"
  cp /tmp/metahpo_gpu/*.json /tmp/metahpo_gpu/*.csv "$out"/ 2>/dev/null
  log "done"; ls -la "$out"
} 2>&1 | grep --line-buffered -v -e 'Warning' -e '^  warn' | tee "$out/session_log.txt"
