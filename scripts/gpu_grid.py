"""The seed plan's grids at full scale, for a GPU: ResNet-50 on CIFAR-10, BERT on IMDB, or the LSTM on electricity load.

One command per model, from the repository root:

    METAHPO_DATA_DIR=../shared/data python scripts/gpu_grid.py resnet50 [--repository resnet_grid.db]
    METAHPO_DATA_DIR=../shared/data python scripts/gpu_grid.py bert [--repository bert_grid.db] [--model /path/to/bert-base-uncased]
    METAHPO_DATA_DIR=../shared/data python scripts/gpu_grid.py lstm [--series MT_001] [--repository lstm_grid.db]

Full scale means, for ResNet-50, 45,000 training images (5,000 more are the validation split the grid is ranked on),
the 10,000 test images, the CIFAR stem and every configured epoch (10, 20 or 30) with mixed precision; for BERT,
bert-base-uncased on 22,500 training reviews (2,500 validation), the 25,000 test reviews, 512 tokens and 3-5 epochs;
for the LSTM, every configured epoch (20, 50 or 100) on every training window of one series. On one H200,
`scripts/gpu_cost_probe.py` projects about 2.5 hours of training for the ResNet-50 grid, an hour for BERT and 10
minutes for the LSTM; measured points are in `results/gpu/`.

Every trial goes into the SQLite repository as it finishes, so a run that is stopped resumes where it stopped when
the same command is given again. The study is named by `metahpo.tuners.study_name` after the task, the tuner, the
seed, the space, the profile and the cut of the grid (such as 'cifar10-resnet50-grid-seed0-full'), and the task's
fingerprint covers the data and the model's settings, so full-scale numbers never mix with CPU-profile ones.
`--only batch_size=128 epochs=10` runs one slice of the grid as a study of its own; `--profile cpu` (ResNet-50,
BERT) or `--epoch-scale 0.1 --max-train-windows 2000` (LSTM) runs a bounded profile on a CPU; `--smoke` (ResNet-50,
BERT) checks the script end to end in a minute on a CPU. At the end it prints the trials ranked by the validation
metric and writes a JSON summary (each point's metrics and cost, the device) and a CSV next to the repository.
`gpu_resnet_grid.py`, `gpu_bert_grid.py` and `gpu_lstm_grid.py` are this script with the model named.
"""
import argparse, logging, os, sys, time
from _grid_report import report, restrict  # scripts/, beside this file

def _resnet50_args(ap):
    ap.add_argument('--profile', default='full', choices=['full', 'cpu'], help="'full' (the seed plan, for a GPU) or 'cpu' (bounded)")
    ap.add_argument('--classes', nargs='+', default=None, help="a subset of the CIFAR-10 classes, e.g. cat dog (default all ten)")
    ap.add_argument('--stem', default=None, choices=['cifar', 'imagenet'], help="default: the profile's (cifar for full, imagenet for cpu)")
    ap.add_argument('--smoke', action='store_true', help="a tiny end-to-end check on a CPU: 2 grid points, 200 images")

def _resnet50(args, space):
    import torch
    from metahpo.trainers.resnet import ResNetTrainer, CIFAR10_PROFILES
    if args.device is None and not torch.cuda.is_available() and args.profile == 'full' and not args.smoke:
        logging.warning("torch sees no CUDA GPU: the full grid runs on the CPU (weeks)")
    settings = dict(CIFAR10_PROFILES[args.profile])
    if args.smoke: settings.update(stem='imagenet', max_train_examples=200, max_eval_examples=100, epoch_scale=0.05)
    if args.stem: settings['stem'] = args.stem
    trainer = ResNetTrainer.cifar10(args.data_dir, classes=args.classes, space=space, seed=args.seed, device=args.device,
                                    progress=not args.no_progress, **settings)
    tag = 'smoke' if args.smoke else ('full' if trainer.is_full_scale else 'cpu')
    best = lambda m: f"val accuracy {m['val_accuracy']:.4f}, test top-1 {m['test_top1']:.4f}, test top-5 {m['test_top5']:.4f}, profile {trainer.profile}"
    keep = ('val_accuracy', 'val_top5', 'test_top1', 'test_top5', 'train_s', 'eval_s', 'steps', 'epochs_run', 'n_train', 'cuda', 'amp')
    return trainer, settings, tag, {}, dict(classes=args.classes), keep, False, best

def _bert_args(ap):
    ap.add_argument('--profile', default='full', choices=['full', 'cpu'], help="'full' (the seed plan, for a GPU) or 'cpu' (bounded)")
    ap.add_argument('--model', dest='hf_model', default=None, help="hub name or local folder of the model (default: the profile's: bert-base-uncased, or 'minilm' for cpu)")
    ap.add_argument('--max-length', type=int, default=None, help="tokens kept of each review (default: the profile's, 512 or 128)")
    ap.add_argument('--gpu', default='0', help="the GPU to use when CUDA_VISIBLE_DEVICES is not set (Trainer would otherwise split batches over all)")
    ap.add_argument('--smoke', action='store_true', help="a tiny end-to-end check on a CPU: 2 grid points, 64 reviews, 32 tokens")

def _bert(args, space):
    import torch, transformers
    from metahpo.trainers.bert import BertTrainer, IMDB_PROFILES
    if args.device is None and not torch.cuda.is_available() and args.profile == 'full' and not args.smoke:
        logging.warning("torch sees no CUDA GPU: the full grid runs on the CPU (days)")
    settings = dict(IMDB_PROFILES[args.profile])
    if args.smoke: settings.update(model='minilm', max_length=32, max_train_examples=64, max_eval_examples=32, epoch_scale=0.1)
    if args.hf_model: settings['model'] = args.hf_model
    if args.max_length: settings['max_length'] = args.max_length
    trainer = BertTrainer.imdb(args.data_dir, space=space, seed=args.seed, device=args.device, progress=not args.no_progress, **settings)
    tag = 'smoke' if args.smoke else ('full' if trainer.is_full_scale else 'cpu')
    best = lambda m: f"val accuracy {m['val_accuracy']:.4f}, test accuracy {m['test_accuracy']:.4f}, test F1 {m['test_f1']:.4f}, profile {trainer.profile}"
    keep = ('val_accuracy', 'val_f1', 'test_accuracy', 'test_f1', 'train_s', 'eval_s', 'steps', 'epochs_run', 'n_train', 'cuda', 'amp')
    return trainer, settings, tag, dict(transformers=transformers.__version__), {}, keep, False, best

def _lstm_args(ap):
    ap.add_argument('--series', default='MT_001', help="a name from metahpo.trainers.lstm.electricity_series(), e.g. MT_001, etth1/OT, taylor")
    ap.add_argument('--epoch-scale', type=float, default=1.0, help="fraction of the configured epochs (1: full scale)")
    ap.add_argument('--max-train-windows', type=int, default=None, help="train on at most this many windows (default all)")

def _lstm(args, space):
    import torch
    from metahpo.trainers.lstm import LSTMTrainer
    if args.device is None and not torch.cuda.is_available():
        logging.warning("torch sees no CUDA GPU: the grid runs on the CPU (hours at full scale)")
    trainer = LSTMTrainer.electricity(args.series, args.data_dir, space=space, seed=args.seed, device=args.device,
                                      epoch_scale=args.epoch_scale, max_train_windows=args.max_train_windows, progress=not args.no_progress,
                                      **({'threads': args.threads} if args.threads else {}))  # its trials' own count (default 1), so that a rerun reproduces them
    tag = 'full' if trainer.is_full_scale else f"cpu{args.epoch_scale:g}x{trainer.n_train_windows}"
    best = lambda m: f"val_mse {m['val_mse']:.4f}, test_mse {m['test_mse']:.4f} vs seasonal naive {m['snaive_mse']:.4f} (ratio {m['test_mse_ratio']:.3f})"
    keep = ('val_mse', 'test_mse', 'test_mae', 'snaive_mse', 'snaive_mae', 'test_mse_ratio', 'epochs_run', 'n_train_windows', 'train_s', 'cuda')
    settings = dict(epoch_scale=args.epoch_scale, max_train_windows=args.max_train_windows)
    return trainer, settings, tag, {}, dict(series=args.series), keep, True, best

# model -> (space name, default repository, folder of its data, its own arguments, its trainer)
MODELS = {'resnet50': ('resnet50', 'resnet_grid.db', 'cifar10', _resnet50_args, _resnet50),
          'bert': ('bert', 'bert_grid.db', 'imdb', _bert_args, _bert),
          'lstm': ('lstm', 'lstm_grid.db', 'electricity', _lstm_args, _lstm)}

def parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog='gpu_grid.py', description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest='model', required=True, metavar='{' + ','.join(MODELS) + '}')
    for name, (_, repo, data, own_args, _) in MODELS.items():
        p = sub.add_parser(name, help=f"the {name} grid")
        p.add_argument('--data-dir', default=None, help=f"folder holding {data}/ (default $METAHPO_DATA_DIR)")
        p.add_argument('--repository', default=repo, help="SQLite repository the trials are recorded into (and resumed from)")
        p.add_argument('--summary', default=None, help="JSON summary to write (default: next to the repository, named after the study)")
        p.add_argument('--seed', type=int, default=0)
        p.add_argument('--device', default=None, help="'cuda', 'cuda:1', 'cpu', ...; default CUDA when available")
        p.add_argument('--space', default='grid', choices=['grid', 'wide'])
        p.add_argument('--only', nargs='+', default=None, metavar='NAME=V1,V2',
                       help="run only the grid points with these values, e.g. batch_size=128 epochs=10 (a study of its own)")
        p.add_argument('--budget', default=None, help="evaluations and/or time, e.g. '27' or '27,4h' (default: the whole grid)")
        p.add_argument('--no-progress', action='store_true', help="no progress bars")
        p.add_argument('--threads', type=int, default=None, help="CPU threads for torch (default torch's: all cores; 1 is faster on a busy machine); the LSTM's trials run on 1 unless given")
        own_args(p)
    return ap

def main(argv=None) -> int:
    ap = parser()
    args = ap.parse_args(argv)
    if args.space == 'wide' and args.budget is None: ap.error("the wide space is continuous: give --budget")
    if args.space == 'wide' and args.only: ap.error("--only cuts the grid; it does not apply to the wide space")
    if args.model == 'bert': os.environ.setdefault('CUDA_VISIBLE_DEVICES', args.gpu)  # before torch sees the GPUs
    logging.basicConfig(level=logging.INFO, format='%(asctime)s %(name)s %(message)s')
    import torch
    if args.threads: torch.set_num_threads(args.threads)
    from metahpo.tuners import tune, study_name
    from metahpo.space import get_space
    space_name, _, _, _, build = MODELS[args.model]
    space, cut = restrict(get_space(space_name), args.only) if args.space == 'grid' else (args.space, '')
    trainer, settings, tag, versions, extra, keep, ascending, best_line = build(args, space)
    tuner = 'grid' if args.space == 'grid' else 'random'
    study = study_name(trainer.task, tuner, args.seed, space=args.space, profile=tag, only=cut)
    budget = args.budget or ('2' if getattr(args, 'smoke', False) else None)
    print(trainer, f"\nstudy {study!r} in {args.repository}", flush=True)
    t0 = time.perf_counter()
    s = tune(trainer, tuner=tuner, budget=budget, seed=args.seed, repository=args.repository, study=study, progress=not args.no_progress)
    wall = time.perf_counter() - t0
    report(s, trainer, study, args.repository, keep, tag, settings, wall, versions, args.summary, ascending=ascending,
           **extra, seed=args.seed, space=args.space, only=args.only)
    if (best := s.best_trial) is not None: print(f"best {best.config}: {best_line(best.metrics)}, device {best.device}")
    return 0 if s.n_failed == 0 else 1

if __name__ == '__main__':
    sys.exit(main())
