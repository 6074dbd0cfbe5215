#!/usr/bin/env bash
# Build (or resume) the neural families' seed-grid meta-datasets and their targets' grids at the families' 'meta'
# profile, then merge the complete studies into the shipped experience base and export the targets' grids.
#
#   METAHPO_DATA_DIR=../shared/data bash scripts/build_neural_experience.sh BUILD_DIR [bert|resnet50|lstm ...]
#   METADATASET_ARGS="--tasks sm-nile --n-configs 3" bash scripts/build_neural_experience.sh BUILD_DIR lstm   # small
#
# Run it with the project's environment active (`metahpo` and its `python` on PATH). Default families: bert resnet50.
# It builds the grid studies (`--space grid`); the wider spaces' studies are built by `metahpo metadataset --family F
# --space wide` (the metadataset chapters). METADATASET_ARGS is added to every `metahpo metadataset` command (a few
# tasks, fewer configurations: such grids are not complete, and only complete grids of 27 are merged into the base;
# put a small build in a folder of its own, as a later full build would resume its studies with another tuner order).
# It does not reach the targets' grids (`metahpo tune`, 27 points at the meta profile), which run whole.
# Every step is resumable: run the same command again after a stop. Ctrl-C stops the step running and the script
# (exit 130), keeping every finished evaluation in BUILD_DIR; a step that fails is reported with its status and the
# script goes on to the next. Each step's wall clock and CPU seconds (every process, /usr/bin/time -v) go to
# BUILD_DIR/<step>.log. Measured on two cores (one torch thread per worker): about 6 CPU hours for the text family's
# 15 grids and about 0.4 for each of the image family's CIFAR-10 grids on the machine of its last build (the
# metadataset_families page; earlier sessions' machines recorded up to 0.7).
set -u
out=${1:?give a build folder}; shift
families=${*:-bert resnet50}
mkdir -p "$out"
here=$(cd "$(dirname "$0")" && pwd)
export OMP_NUM_THREADS=1 MKL_NUM_THREADS=1 TOKENIZERS_PARALLELISM=false
declare -A target=([lstm]=electricity [bert]=imdb [resnet50]=cifar10)
for f in $families; do [[ -n "${target[$f]:-}" ]] || { echo "unknown family $f: choose from ${!target[*]}" >&2; exit 2; }; done
failed=0
trap 'echo "[$(date +%T)] stopped: run the same command again to resume" >&2; exit 130' INT
trap 'echo "[$(date +%T)] stopped: run the same command again to resume" >&2; exit 143' TERM
read -r -a extra <<< "${METADATASET_ARGS:-}"  # words split on blanks, never expanded as file patterns
step() {  # run a command, its output into BUILD_DIR/<name>.log; stop the script on Ctrl-C (status 130)
  local name=$1 rc; shift
  echo "[$(date +%T)] $name: $*"
  /usr/bin/time -v "$@" > "$out/$name.log" 2>&1; rc=$?
  if (( rc == 130 || rc == 143 )); then echo "[$(date +%T)] $name stopped (Ctrl-C or kill): run the same command again to resume" >&2; exit "$rc"; fi
  if (( rc != 0 )); then echo "[$(date +%T)] $name ended with status $rc (see $out/$name.log)" >&2; failed=1; fi
  return 0
}
for f in $families; do
  step "$f-grid" metahpo metadataset --family "$f" --space grid --repo "$out/meta-$f.db" --workers 2 --no-progress "${extra[@]}"
  [[ $f == lstm ]] && continue  # the LSTM's meta profile is the electricity task's CPU profile: its grid is in results/seed/seed_grids.parquet
  OMP_NUM_THREADS=2 step "${target[$f]}-meta-grid" metahpo tune --task "${target[$f]}" --tuner grid --budget 27 --profile meta \
    --repo "$out/seed_grids_meta.db" --seed 0 --no-progress
done
for f in $families; do  # complete grids only: a partial study waits for the next run
  [[ -f "$out/meta-$f.db" ]] || continue
  python3 "$here/ship_experience.py" "$out/meta-$f.db" --studies "meta-$f-grid-*" --min-trials 27 || failed=1
done
if [[ -f "$out/seed_grids_meta.db" ]]; then metahpo export --repo "$out/seed_grids_meta.db" "$here/../results/seed/seed_grids_meta.parquet" || failed=1; fi
exit $failed
