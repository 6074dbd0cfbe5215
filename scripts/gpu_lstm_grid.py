"""The seed plan's LSTM grid at full scale: 27 configurations on one electricity series, on a GPU.

Full scale means every configured epoch (20, 50 or 100) on every training window (4009 for a UCI client with
the default one-week window and one-day horizon): about 224,000 optimiser steps for the grid, an hour or more
on a CPU. On one H200 the batch-64 row (9 points) took 98 s and the batch-32 row 185 s (`results/gpu/`), and
`scripts/gpu_cost_probe.py` projects 10 minutes of training for the whole grid. One command, from the repository root:

    METAHPO_DATA_DIR=../shared/data python scripts/gpu_lstm_grid.py [--series MT_001] [--repository lstm_grid.db]

Every trial goes into the SQLite repository as it finishes, so a run that is stopped resumes where it stopped
when the same command is given again. The study is named after the series, the profile and the seed
('electricity/uci/MT_001-lstm-grid-seed0-full', by `metahpo.tuners.study_name`), so full-scale numbers never mix with CPU-profile ones.
`--epoch-scale 0.1 --max-train-windows 2000` runs the CPU profile instead (a smoke test: a few minutes on a CPU).
At the end it prints the trials ranked by validation MSE, beside the seasonal-naive baseline, and writes them to
a CSV and a JSON summary (each point's metrics and cost, the device) next to the repository.
"""
import argparse, logging, sys, time
from _grid_report import report, restrict  # scripts/, beside this file

def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--series', default='MT_001', help="a name from metahpo.trainers.lstm.electricity_series(), e.g. MT_001, etth1/OT, taylor")
    ap.add_argument('--data-dir', default=None, help="folder holding electricity/ (default $METAHPO_DATA_DIR)")
    ap.add_argument('--repository', default='lstm_grid.db', help="SQLite repository the trials are recorded into (and resumed from)")
    ap.add_argument('--summary', default=None, help="JSON summary to write (default: next to the repository, named after the study)")
    ap.add_argument('--seed', type=int, default=0)
    ap.add_argument('--device', default=None, help="'cuda', 'cpu', ...; default CUDA when available")
    ap.add_argument('--epoch-scale', type=float, default=1.0, help="fraction of the configured epochs (1: full scale)")
    ap.add_argument('--max-train-windows', type=int, default=None, help="train on at most this many windows (default all)")
    ap.add_argument('--space', default='grid', choices=['grid', 'wide'])
    ap.add_argument('--only', nargs='+', default=None, metavar='NAME=V1,V2', help="run only the grid points with these values, e.g. batch_size=128 epochs=10 (a study of its own)")
    ap.add_argument('--budget', default=None, help="evaluations and/or time, e.g. '27' or '27,2h' (default: the whole grid)")
    ap.add_argument('--no-progress', action='store_true', help="no progress bars")
    args = ap.parse_args(argv)
    if args.space == 'wide' and args.budget is None: ap.error("the wide space is continuous: give --budget")
    if args.space == 'wide' and args.only: ap.error("--only cuts the grid; it does not apply to the wide space")
    logging.basicConfig(level=logging.INFO, format='%(asctime)s %(name)s %(message)s')

    import torch
    from metahpo.trainers.lstm import LSTMTrainer
    from metahpo.tuners import tune, study_name
    from metahpo.space import get_space
    space, cut = restrict(get_space('lstm'), args.only) if args.space == 'grid' else (args.space, '')
    if args.device is None and not torch.cuda.is_available():
        logging.warning("torch sees no CUDA GPU: the grid runs on the CPU (hours at full scale)")
    trainer = LSTMTrainer.electricity(args.series, args.data_dir, space=space, seed=args.seed, device=args.device,
                                      epoch_scale=args.epoch_scale, max_train_windows=args.max_train_windows, progress=not args.no_progress)
    profile = 'full' if trainer.is_full_scale else f"cpu{args.epoch_scale:g}x{trainer.n_train_windows}"
    study = study_name(trainer.task, 'grid' if args.space == 'grid' else 'random', args.seed, space=args.space, profile=profile, only=cut)
    print(trainer, f"\nstudy {study!r} in {args.repository}", flush=True)
    t0 = time.perf_counter()
    s = tune(trainer, tuner='grid' if args.space == 'grid' else 'random', budget=args.budget, seed=args.seed,
             repository=args.repository, study=study, progress=not args.no_progress)
    wall = time.perf_counter() - t0
    keep = ('val_mse', 'test_mse', 'test_mae', 'snaive_mse', 'snaive_mae', 'test_mse_ratio', 'epochs_run', 'n_train_windows', 'train_s', 'cuda')
    settings = dict(epoch_scale=args.epoch_scale, max_train_windows=args.max_train_windows)
    report(s, trainer, study, args.repository, keep, profile, settings, wall, {}, args.summary, ascending=True,
           series=args.series, seed=args.seed, space=args.space, only=args.only)
    best = s.best_trial
    if best is not None:
        m = best.metrics
        print(f"best {best.config}: val_mse {m['val_mse']:.4f}, test_mse {m['test_mse']:.4f} vs seasonal naive {m['snaive_mse']:.4f}"
              f" (ratio {m['test_mse_ratio']:.3f}), device {best.device}")
    return 0 if s.n_failed == 0 else 1

if __name__ == '__main__':
    sys.exit(main())
