"""Two stress probes of what a clean-clone CI once caught failing at random, each printing its counts (a benchmark, not a test):

  python scripts/interrupt_probes.py open-together [--files 300] [--processes 6]
      new repository files, each opened by several processes at the same moment: how many opens were refused
      (SQLite answered 'database is locked' at once while another process switched the file to WAL mode)
  python scripts/interrupt_probes.py ctrl-c [--runs 40] [--seed 1]
      `metahpo tune --budget 1` (Titanic, MetaTuner) interrupted by SIGINT at a random moment of its start-up (0 to 1.5 s
      after it loaded SQLite): the exit statuses, and the runs that printed a traceback or ended otherwise than with 130
      (interrupted) or 0 (its one trial finished first). Linux only (it reads /proc).
  python scripts/interrupt_probes.py ctrl-c-whole [--runs 200] [--seed 0]
      `metahpo studies` (about half a second) interrupted by SIGINT at a random moment of its whole run, from the
      process's start to a little after its usual end: the exit statuses, and the runs that ended otherwise than with
      130 or 0 (their moment, and the last lines they printed)

Run either at an older commit to compare (`git worktree add /tmp/old REV`, then the same command there).
"""
import argparse, random, shutil, signal, subprocess, sys, tempfile, time
from collections import Counter
from pathlib import Path


def open_together(n_files:int, n_processes:int) -> int:
    from metahpo.testing import open_together as probe  # forks: each process only opens
    t0 = time.perf_counter()
    with tempfile.TemporaryDirectory() as folder: refused = probe(n_files, n_processes, folder)
    print(f"{len(refused)} of {n_files * n_processes} opens refused or files not in WAL mode ({n_files} new files, {n_processes} processes each), "
          f"{time.perf_counter() - t0:.1f} s" + (f"; e.g. {refused[0]}" if refused else ''))
    return 0


def _command() -> list[str]:
    exe = Path(sys.executable).parent / 'metahpo'
    return [str(exe)] if exe.exists() else [sys.executable, '-m', 'metahpo.cli']


def ctrl_c(runs:int, seed:int) -> int:
    rng, codes, bad = random.Random(seed), Counter(), []
    for i in range(runs):
        d = Path(tempfile.mkdtemp())
        p = subprocess.Popen(_command() + ['tune', '--budget', '1', '--repo', str(d / 'r.db'), '--no-progress'], cwd=d, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True, preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
        maps, t0 = Path(f'/proc/{p.pid}/maps'), time.monotonic()
        while p.poll() is None and time.monotonic() - t0 < 30:  # wait until it has loaded SQLite: its imports are under way
            try:
                if '_sqlite3' in maps.read_text(): break
            except OSError: break
            time.sleep(0.005)
        time.sleep(rng.uniform(0.0, 1.5)); p.send_signal(signal.SIGINT)
        _, err = p.communicate(timeout=120)
        codes[p.returncode] += 1
        if 'Traceback' in err or p.returncode not in (0, 130): bad.append((i, p.returncode, err.strip().splitlines()[-8:] if err.strip() else []))
        shutil.rmtree(d, ignore_errors=True)
    print(f"{runs} runs (seed {seed}): exit statuses {dict(sorted(codes.items()))}; {len(bad)} printed a traceback or ended otherwise than 130 or 0")
    for i, code, last in bad: print(f"  run {i}: exit {code}:", *('    ' + l for l in last), sep='\n')
    return 0


def ctrl_c_whole(runs:int, seed:int) -> int:
    rng, codes, bad = random.Random(seed), Counter(), []
    with tempfile.TemporaryDirectory() as d:
        cmd = _command() + ['studies', '--repo', str(Path(d) / 'r.db')]
        from metahpo.repository import Repository
        Repository(Path(d) / 'r.db').close()  # an empty repository: `studies` lists none, and ends with 0
        times = []
        for _ in range(3):
            t0 = time.monotonic(); subprocess.run(cmd, capture_output=True, cwd=d); times.append(time.monotonic() - t0)
        span = min(times) * 1.05
        for i in range(runs):
            p = subprocess.Popen(cmd, cwd=d, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                 preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
            at = rng.uniform(0.0, span); time.sleep(at)
            try: p.send_signal(signal.SIGINT)
            except ProcessLookupError: pass
            _, err = p.communicate(timeout=120)
            codes[p.returncode] += 1
            if p.returncode not in (0, 130): bad.append((i, at, p.returncode, err.strip().splitlines()[-3:]))
    print(f"{runs} runs (seed {seed}; `metahpo studies` takes {min(times):.2f} s, SIGINT 0 to {span:.2f} s after its start): "
          f"exit statuses {dict(sorted(codes.items()))}; {len(bad)} ended otherwise than 130 or 0")
    for i, at, code, last in bad: print(f"  run {i}: SIGINT at {at:.3f} s, exit {code}:", *('    ' + l for l in last), sep='\n')
    return 0


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest='probe', required=True)
    o = sub.add_parser('open-together', help='new files opened by several processes at once')
    o.add_argument('--files', type=int, default=300); o.add_argument('--processes', type=int, default=6)
    c = sub.add_parser('ctrl-c', help='Ctrl-C at random moments of `metahpo tune` start-up')
    c.add_argument('--runs', type=int, default=40); c.add_argument('--seed', type=int, default=1)
    w = sub.add_parser('ctrl-c-whole', help='Ctrl-C at random moments of a short command, start to end')
    w.add_argument('--runs', type=int, default=200); w.add_argument('--seed', type=int, default=0)
    a = ap.parse_args(argv)
    for name in ('files', 'processes', 'runs'):
        if getattr(a, name, 1) < 1: ap.error(f"--{name} {getattr(a, name)} is not allowed: give a whole number from 1")
    if a.probe == 'open-together': return open_together(a.files, a.processes)
    return ctrl_c(a.runs, a.seed) if a.probe == 'ctrl-c' else ctrl_c_whole(a.runs, a.seed)


if __name__ == '__main__': sys.exit(main())
