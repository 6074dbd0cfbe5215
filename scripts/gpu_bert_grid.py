"""The seed plan's BERT grid on IMDB: 27 configurations of bert-base-uncased fine-tuned on the full reviews, on a GPU.

Full scale means bert-base-uncased, 22,500 training reviews (2,500 more are the validation split the grid is
ranked on), the 25,000 test reviews, 512 tokens and every configured epoch (3, 4 or 5) with mixed precision:
2.4 million review passes for the grid. On one H200, `scripts/gpu_cost_probe.py` projects about an hour of
training from the step times of bert-base's architecture at 512 tokens (evaluation and tokenising on top; no
accuracy has been measured there, as the weights need the hub). One command, from the repository root:

    METAHPO_DATA_DIR=../shared/data python scripts/gpu_bert_grid.py [--repository bert_grid.db] [--model /path/to/bert-base-uncased]

`--model` takes a local copy of bert-base-uncased where the Hugging Face hub cannot be reached (by default it is
downloaded once into the Hugging Face cache). Every trial goes into the SQLite repository as it finishes, so a run
that is stopped resumes where it stopped when the same command is given again. The study is named after the task,
the space, the profile and the seed ('imdb-bert-grid-seed0-full', by `metahpo.tuners.study_name`), and the task's fingerprint covers the data,
model and token limit, so full-scale numbers never mix with CPU-profile ones. `--profile cpu` runs the CPU profile
instead (the packaged all-MiniLM-L6-v2, 2,000 reviews, 128 tokens, a quarter of the epochs: minutes a point on
a CPU). `--smoke` checks the script end to end in a minute on a CPU (two points on 64 reviews of 32 tokens).
At the end it prints the trials ranked by validation accuracy and writes a JSON summary (each point's metrics and
cost, the device) and a CSV next to the repository.
"""
import argparse, logging, os, sys, time
from _grid_report import report, restrict  # scripts/, beside this file

def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--profile', default='full', choices=['full', 'cpu'], help="'full' (the seed plan, for a GPU) or 'cpu' (bounded)")
    ap.add_argument('--data-dir', default=None, help="folder holding imdb/ (default $METAHPO_DATA_DIR)")
    ap.add_argument('--repository', default='bert_grid.db', help="SQLite repository the trials are recorded into (and resumed from)")
    ap.add_argument('--summary', default=None, help="JSON summary to write (default: next to the repository, named after the study)")
    ap.add_argument('--model', default=None, help="hub name or local folder of the model (default: the profile's: bert-base-uncased, or 'minilm' for cpu)")
    ap.add_argument('--max-length', type=int, default=None, help="tokens kept of each review (default: the profile's, 512 or 128)")
    ap.add_argument('--seed', type=int, default=0)
    ap.add_argument('--gpu', default='0', help="the GPU to use when CUDA_VISIBLE_DEVICES is not set (Trainer would otherwise split batches over all)")
    ap.add_argument('--device', default=None, help="'cuda' or 'cpu'; default CUDA when available")
    ap.add_argument('--space', default='grid', choices=['grid', 'wide'])
    ap.add_argument('--only', nargs='+', default=None, metavar='NAME=V1,V2', help="run only the grid points with these values, e.g. batch_size=128 epochs=10 (a study of its own)")
    ap.add_argument('--budget', default=None, help="evaluations and/or time, e.g. '27' or '27,2h' (default: the whole grid)")
    ap.add_argument('--smoke', action='store_true', help="a tiny end-to-end check on a CPU: 2 grid points, 64 reviews, 32 tokens")
    ap.add_argument('--no-progress', action='store_true', help="no progress bars")
    ap.add_argument('--threads', type=int, default=None, help="CPU threads for torch (default torch's: all cores; 1 is faster on a busy machine)")
    args = ap.parse_args(argv)
    if args.space == 'wide' and args.budget is None: ap.error("the wide space is continuous: give --budget")
    if args.space == 'wide' and args.only: ap.error("--only cuts the grid; it does not apply to the wide space")
    os.environ.setdefault('CUDA_VISIBLE_DEVICES', args.gpu)  # before torch sees the GPUs
    logging.basicConfig(level=logging.INFO, format='%(asctime)s %(name)s %(message)s')

    import torch, transformers
    if args.threads: torch.set_num_threads(args.threads)
    from metahpo.trainers.bert import BertTrainer, IMDB_PROFILES
    from metahpo.tuners import tune, study_name
    from metahpo.space import get_space
    space, cut = restrict(get_space('bert'), args.only) if args.space == 'grid' else (args.space, '')
    if args.device is None and not torch.cuda.is_available() and args.profile == 'full' and not args.smoke:
        logging.warning("torch sees no CUDA GPU: the full grid runs on the CPU (days)")
    settings = dict(IMDB_PROFILES[args.profile])
    if args.smoke: settings.update(model='minilm', max_length=32, max_train_examples=64, max_eval_examples=32, epoch_scale=0.1)
    if args.model: settings['model'] = args.model
    if args.max_length: settings['max_length'] = args.max_length
    trainer = BertTrainer.imdb(args.data_dir, space=space, seed=args.seed, device=args.device, progress=not args.no_progress, **settings)
    tag = 'smoke' if args.smoke else ('full' if trainer.is_full_scale else 'cpu')
    study = study_name(trainer.task, 'grid' if args.space == 'grid' else 'random', args.seed, space=args.space, profile=tag, only=cut)
    budget = args.budget or ('2' if args.smoke else None)
    print(trainer, f"\nstudy {study!r} in {args.repository}", flush=True)
    t0 = time.perf_counter()
    s = tune(trainer, tuner='grid' if args.space == 'grid' else 'random', budget=budget, seed=args.seed,
             repository=args.repository, study=study, progress=not args.no_progress)
    wall = time.perf_counter() - t0

    keep = ('val_accuracy', 'val_f1', 'test_accuracy', 'test_f1', 'train_s', 'eval_s', 'steps', 'epochs_run', 'n_train', 'cuda', 'amp')
    report(s, trainer, study, args.repository, keep, tag, settings, wall, dict(transformers=transformers.__version__), args.summary, seed=args.seed, space=args.space, only=args.only)
    best = s.best_trial
    if best is not None:
        m = best.metrics
        print(f"best {best.config}: val accuracy {m['val_accuracy']:.4f}, test accuracy {m['test_accuracy']:.4f}, test F1 {m['test_f1']:.4f}, "
              f"device {best.device}, profile {trainer.profile}")
    return 0 if s.n_failed == 0 else 1

if __name__ == '__main__':
    sys.exit(main())
