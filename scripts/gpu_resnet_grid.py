"""The seed plan's ResNet-50 grid on CIFAR-10: 27 configurations trained from scratch on the full training images, on a GPU.

Full scale means 45,000 training images (5,000 more are the validation split the grid is ranked on), the 10,000
test images, the CIFAR stem and every configured epoch (10, 20 or 30) with mixed precision: 24 million image passes
for the grid. On one H200, `scripts/gpu_cost_probe.py` projects 2.5 hours of training from measured step times
(evaluation and loading on top), and a real 10-epoch point at batch 128 trained in 84-98 s (`results/gpu/`). One
command, from the repository root:

    METAHPO_DATA_DIR=../shared/data python scripts/gpu_resnet_grid.py [--repository resnet_grid.db]

Every trial goes into the SQLite repository as it finishes, so a run that is stopped resumes where it stopped when
the same command is given again. The study is named after the task, the space, the profile and the seed
('cifar10-resnet50-grid-seed0-full', by `metahpo.tuners.study_name`), and the task's fingerprint covers the images and the stem, so full-scale
numbers never mix with CPU-profile ones. `--profile cpu` runs the CPU profile instead (5,000 images, the ImageNet
stem, a tenth of the epochs: a minute or two a point on a CPU); `--classes cat dog` tunes on a class subset.
`--smoke` checks the script end to end in a minute on a CPU (two points on 200 images). The local CIFAR-10 copy is
re-encoded as JPEG: its accuracies are some points below published CIFAR-10 figures. At the end it prints the
trials ranked by validation accuracy and writes a JSON summary (each point's metrics and cost, the device) and a
CSV next to the repository.
"""
import argparse, logging, sys, time
from _grid_report import report, restrict  # scripts/, beside this file

def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--profile', default='full', choices=['full', 'cpu'], help="'full' (the seed plan, for a GPU) or 'cpu' (bounded)")
    ap.add_argument('--data-dir', default=None, help="folder holding cifar10/ (default $METAHPO_DATA_DIR)")
    ap.add_argument('--repository', default='resnet_grid.db', help="SQLite repository the trials are recorded into (and resumed from)")
    ap.add_argument('--summary', default=None, help="JSON summary to write (default: next to the repository, named after the study)")
    ap.add_argument('--classes', nargs='+', default=None, help="a subset of the CIFAR-10 classes, e.g. cat dog (default all ten)")
    ap.add_argument('--stem', default=None, choices=['cifar', 'imagenet'], help="default: the profile's (cifar for full, imagenet for cpu)")
    ap.add_argument('--seed', type=int, default=0)
    ap.add_argument('--device', default=None, help="'cuda', 'cuda:1', 'cpu', ...; default CUDA when available")
    ap.add_argument('--space', default='grid', choices=['grid', 'wide'])
    ap.add_argument('--only', nargs='+', default=None, metavar='NAME=V1,V2', help="run only the grid points with these values, e.g. batch_size=128 epochs=10 (a study of its own)")
    ap.add_argument('--budget', default=None, help="evaluations and/or time, e.g. '27' or '27,4h' (default: the whole grid)")
    ap.add_argument('--smoke', action='store_true', help="a tiny end-to-end check on a CPU: 2 grid points, 200 images")
    ap.add_argument('--no-progress', action='store_true', help="no progress bars")
    ap.add_argument('--threads', type=int, default=None, help="CPU threads for torch (default torch's: all cores; 1 is faster on a busy machine)")
    args = ap.parse_args(argv)
    if args.space == 'wide' and args.budget is None: ap.error("the wide space is continuous: give --budget")
    if args.space == 'wide' and args.only: ap.error("--only cuts the grid; it does not apply to the wide space")
    logging.basicConfig(level=logging.INFO, format='%(asctime)s %(name)s %(message)s')

    import torch
    if args.threads: torch.set_num_threads(args.threads)
    from metahpo.trainers.resnet import ResNetTrainer, CIFAR10_PROFILES
    from metahpo.tuners import tune, study_name
    from metahpo.space import get_space
    space, cut = restrict(get_space('resnet50'), args.only) if args.space == 'grid' else (args.space, '')
    if args.device is None and not torch.cuda.is_available() and args.profile == 'full' and not args.smoke:
        logging.warning("torch sees no CUDA GPU: the full grid runs on the CPU (weeks)")
    settings = dict(CIFAR10_PROFILES[args.profile])
    if args.smoke: settings.update(stem='imagenet', max_train_examples=200, max_eval_examples=100, epoch_scale=0.05)
    if args.stem: settings['stem'] = args.stem
    trainer = ResNetTrainer.cifar10(args.data_dir, classes=args.classes, space=space, seed=args.seed, device=args.device,
                                    progress=not args.no_progress, **settings)
    tag = 'smoke' if args.smoke else ('full' if trainer.is_full_scale else 'cpu')
    study = study_name(trainer.task, 'grid' if args.space == 'grid' else 'random', args.seed, space=args.space, profile=tag, only=cut)
    budget = args.budget or ('2' if args.smoke else None)
    print(trainer, f"\nstudy {study!r} in {args.repository}", flush=True)
    t0 = time.perf_counter()
    s = tune(trainer, tuner='grid' if args.space == 'grid' else 'random', budget=budget, seed=args.seed,
             repository=args.repository, study=study, progress=not args.no_progress)
    wall = time.perf_counter() - t0

    keep = ('val_accuracy', 'val_top5', 'test_top1', 'test_top5', 'train_s', 'eval_s', 'steps', 'epochs_run', 'n_train', 'cuda', 'amp')
    report(s, trainer, study, args.repository, keep, tag, settings, wall, {}, args.summary, classes=args.classes, seed=args.seed, space=args.space, only=args.only)
    best = s.best_trial
    if best is not None:
        m = best.metrics
        print(f"best {best.config}: val accuracy {m['val_accuracy']:.4f}, test top-1 {m['test_top1']:.4f}, test top-5 {m['test_top5']:.4f}, "
              f"device {best.device}, profile {trainer.profile}")
    return 0 if s.n_failed == 0 else 1

if __name__ == '__main__':
    sys.exit(main())
