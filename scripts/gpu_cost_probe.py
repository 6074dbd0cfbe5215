"""Measured cost of the seed plan's three deep-learning grids at full scale: time per optimiser step, and the grid's hours.

For each model and each batch size of its grid, the model is built as its trainer builds it and trained for `--steps`
timed steps (after `--warmup` untimed ones) with the trainer's optimiser and mixed precision, on random weights and
synthetic inputs of the full-scale shapes:

- ResNet-50 with the CIFAR stem (`metahpo.trainers.resnet.resnet50`) on 32x32 images, SGD with Nesterov momentum,
  bf16 autocast and channels-last on CUDA; 45,000 training images an epoch;
- bert-base-uncased's architecture (transformers' `BertConfig()` defaults, classifier dropout 0.3) on 512-token
  inputs, AdamW, bf16 autocast; 22,500 training reviews an epoch. Under dynamic padding most IMDB batches reach 512
  tokens (about one review in eight is longer), so this is close to the real step and not below it;
- the LSTM forecaster (`metahpo.trainers.lstm.lstm_forecaster`, hidden 64) on one-week windows (168 steps, 24 ahead),
  Adam with gradient clipping; 4,009 training windows an epoch (UCI client MT_001).

The projection multiplies each grid point's optimiser steps (epochs x examples // batch) by the measured time a step.
It leaves out evaluation, data loading and start-up, and a trainer's real steps (with augmentation, its data order
and longer runs) can be faster or slower than these synthetic ones: on an H200, a real 10-epoch ResNet-50 point at
batch 128 trained in 0.9 times the projected time (`results/gpu/`). It needs no data, no weights and no network. One command, from the repository root:

    python scripts/gpu_cost_probe.py [--models resnet50 bert lstm] [--out probe.json]

It prints one row a model and batch size, then each grid's projected training hours, and writes them as JSON.
"""
import argparse, itertools, json, math, platform, sys, time

N_TRAIN = {'resnet50': 45_000, 'bert': 22_500, 'lstm': 4_009}  # full-scale training examples an epoch (the grids are the presets')

def _builder(name:str, bs:int, dev, torch):
    "A step function for model `name` at batch size `bs`: it runs one optimiser step on synthetic data."
    cuda = dev.type == 'cuda'
    amp = (torch.bfloat16 if torch.cuda.is_bf16_supported() else torch.float16) if cuda else None
    g = torch.Generator(device=dev).manual_seed(0)
    if name == 'resnet50':
        from metahpo.trainers.resnet import resnet50
        net = resnet50(10, 'cifar').to(dev)
        if cuda: net = net.to(memory_format=torch.channels_last)
        opt = torch.optim.SGD(net.parameters(), lr=0.01, momentum=0.9, nesterov=True, weight_decay=5e-4)
        x = torch.randn(bs, 3, 32, 32, device=dev, generator=g)
        if cuda: x = x.contiguous(memory_format=torch.channels_last)
        y = torch.randint(0, 10, (bs,), device=dev, generator=g)
        fwd = lambda: torch.nn.functional.cross_entropy(net(pixel_values=x).logits.float(), y)
    elif name == 'bert':
        import transformers
        net = transformers.BertForSequenceClassification(transformers.BertConfig(num_labels=2, classifier_dropout=0.3)).to(dev)
        opt = torch.optim.AdamW(net.parameters(), lr=2e-5, weight_decay=0.0)
        ids = torch.randint(1000, 30_000, (bs, 512), device=dev, generator=g)
        mask, y = torch.ones_like(ids), torch.randint(0, 2, (bs,), device=dev, generator=g)
        fwd = lambda: torch.nn.functional.cross_entropy(net(input_ids=ids, attention_mask=mask).logits.float(), y)
    elif name == 'lstm':
        from metahpo.trainers.lstm import lstm_forecaster
        net = lstm_forecaster(24, 64).to(dev)
        opt = torch.optim.Adam(net.parameters(), lr=1e-3)
        x, y = torch.randn(bs, 168, device=dev, generator=g), torch.randn(bs, 24, device=dev, generator=g)
        fwd = lambda: torch.nn.functional.mse_loss(net(x), y)
        amp = None  # the LSTM trainer trains in fp32
    else: raise ValueError(f"model {name!r} is not one of {list(N_TRAIN)}")
    net.train()
    def step():
        with torch.autocast(dev.type, dtype=amp, enabled=amp is not None):
            loss = fwd()
        opt.zero_grad(set_to_none=True); loss.backward()
        if name == 'lstm': torch.nn.utils.clip_grad_norm_(net.parameters(), 1.0)
        opt.step()
        return loss
    return step, sum(p.numel() for p in net.parameters())

def probe(name:str, bs:int, steps:int, warmup:int, dev, torch) -> dict:
    "Seconds per optimiser step of model `name` at batch size `bs` (median of the timed steps, synchronised)."
    step, n_params = _builder(name, bs, dev, torch)
    sync = torch.cuda.synchronize if dev.type == 'cuda' else (lambda: None)
    for _ in range(warmup): step()
    sync(); times = []
    for _ in range(steps):
        t0 = time.perf_counter(); loss = step(); sync(); times.append(time.perf_counter() - t0)
    times.sort()
    peak = torch.cuda.max_memory_allocated() / 2**30 if dev.type == 'cuda' else math.nan
    return dict(model=name, batch_size=bs, s_per_step=times[len(times) // 2], s_per_step_mean=sum(times) / len(times),
                examples_per_s=bs / times[len(times) // 2], n_params=n_params, peak_gib=peak, loss=float(loss.detach()))

def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--models', nargs='+', default=list(N_TRAIN), choices=list(N_TRAIN))
    ap.add_argument('--steps', type=int, default=30, help="timed steps a model and batch size")
    ap.add_argument('--warmup', type=int, default=5, help="untimed steps first (kernel selection, allocator)")
    ap.add_argument('--device', default=None, help="'cuda', 'cpu', ...; default CUDA when available")
    ap.add_argument('--out', default=None, help="JSON file to write the rows and projections to")
    args = ap.parse_args(argv)
    if args.steps < 1 or args.warmup < 0: ap.error(f"--steps must be >= 1 and --warmup >= 0, got {args.steps} and {args.warmup}")
    import torch
    from metahpo.trainers.common import resolve_device
    from metahpo.space import get_space
    dev = resolve_device(args.device, torch)
    if dev.type == 'cuda': torch.backends.cudnn.benchmark = True
    gpu = torch.cuda.get_device_name(dev) if dev.type == 'cuda' else None
    print(f"device {dev} ({gpu or platform.processor() or 'cpu'}), torch {torch.__version__}", flush=True)
    rows, grids = [], {}
    for name in args.models:
        sp = get_space(name)  # the seed plan's grid
        g = dict(n_train=N_TRAIN[name], batch_size=sp['batch_size'].values, epochs=sp['epochs'].values, learning_rate=len(sp['learning_rate'].values))
        for bs in g['batch_size']:
            r = probe(name, bs, args.steps, args.warmup, dev, torch); rows.append(r)
            print(f"{name:9s} batch {bs:4d}: {1000 * r['s_per_step']:8.2f} ms/step (mean {1000 * r['s_per_step_mean']:.2f}), "
                  f"{r['examples_per_s']:9.0f} examples/s, peak {r['peak_gib']:.1f} GiB", flush=True)
            if dev.type == 'cuda': torch.cuda.empty_cache(); torch.cuda.reset_peak_memory_stats()
        per = {r['batch_size']: r['s_per_step'] for r in rows if r['model'] == name}
        pts = [dict(batch_size=bs, epochs=ep, steps=ep * (g['n_train'] // bs), hours=ep * (g['n_train'] // bs) * per[bs] / 3600)
               for bs, ep in itertools.product(g['batch_size'], g['epochs'])]
        hours = g['learning_rate'] * sum(p['hours'] for p in pts)
        grids[name] = dict(n_train=g['n_train'], grid_hours=hours, points=pts,
                           epoch_s={bs: (g['n_train'] // bs) * per[bs] for bs in g['batch_size']})
        print(f"{name}: an epoch takes " + ', '.join(f"{s:.1f} s at batch {bs}" for bs, s in grids[name]['epoch_s'].items())
              + f"; the 27-point grid's training, {hours:.2f} h on {gpu or dev.type} (projected from the steps; evaluation and loading not counted)", flush=True)
    if args.out:
        from metahpo.core import package_version
        out = dict(device=str(dev), gpu=gpu, host=platform.node(), torch=torch.__version__, metahpo=package_version(),
                   steps=args.steps, warmup=args.warmup, rows=rows, grids=grids)
        with open(args.out, 'w') as f: json.dump(out, f, indent=1)
        print(f"written {args.out}")
    return 0

if __name__ == '__main__':
    sys.exit(main())
