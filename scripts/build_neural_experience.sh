#!/usr/bin/env bash
# Build (or resume) the neural families' meta-datasets and their targets' grids at the families' 'meta' profile,
# then merge the complete studies into the shipped experience base and export the targets' grids.
#
#   METAHPO_DATA_DIR=../shared/data bash scripts/build_neural_experience.sh BUILD_DIR [bert|resnet50|lstm ...]
#
# Default families: bert resnet50. Every step is resumable: run the same command again after a stop (Ctrl-C or
# kill leaves every finished evaluation in BUILD_DIR). Each step's wall clock and CPU seconds (every process,
# /usr/bin/time -v) go to BUILD_DIR/<step>.log. Measured on two cores (one torch thread per worker): about 6 CPU
# hours for the text family's 15 grids and about 0.4 for each of the image family's CIFAR-10 grids on the machine of
# its last build (the metadataset_families page; earlier sessions' machines recorded up to 0.7).
set -u
out=${1:?give a build folder}; shift
families=${*:-bert resnet50}
mkdir -p "$out"
here=$(cd "$(dirname "$0")" && pwd)
export OMP_NUM_THREADS=1 MKL_NUM_THREADS=1 TOKENIZERS_PARALLELISM=false
declare -A target=([lstm]=electricity [bert]=imdb [resnet50]=cifar10)
step() { local name=$1; shift; echo "[$(date +%T)] $name: $*"; /usr/bin/time -v "$@" > "$out/$name.log" 2>&1 || echo "[$(date +%T)] $name ended with status $?"; }
for f in $families; do
  [[ -n "${target[$f]:-}" ]] || { echo "unknown family $f: choose from ${!target[*]}"; exit 2; }
  step "$f-grid" metahpo metadataset --family "$f" --space grid --repo "$out/meta-$f.db" --workers 2 --no-progress
  [[ $f == lstm ]] && continue  # the LSTM's meta profile is the electricity task's CPU profile: its grid is in results/seed/seed_grids.parquet
  OMP_NUM_THREADS=2 step "${target[$f]}-meta-grid" metahpo tune --task "${target[$f]}" --tuner grid --budget 27 --profile meta \
    --repo "$out/seed_grids_meta.db" --seed 0 --no-progress
done
for f in $families; do  # complete grids only: a partial study waits for the next run
  python3 "$here/ship_experience.py" "$out/meta-$f.db" --studies "meta-$f-grid-*" --min-trials 27
done
[[ -f "$out/seed_grids_meta.db" ]] && metahpo export --repo "$out/seed_grids_meta.db" "$here/../results/seed/seed_grids_meta.parquet"
