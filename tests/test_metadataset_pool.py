"The meta-dataset builder's worker processes: one that dies fails its task and the build goes on; none outlives the builder."
import os, signal, subprocess, sys, textwrap, time
import pytest

FAKE = textwrap.dedent("""
    import os, signal, sys, time, tempfile
    from pathlib import Path
    import metahpo.metadataset as M
    class P:  # the least a protocol needs here
        family, space, budget = 'x', 'grid', 1
        def study_name(self, t): return f'study-{t}'
        def check_tasks(self, tasks, d): pass
        def load(self, *a): pass
        def objective(self, *a): pass
    def row(task): return dict(task=task, study=task, before=0, trials=1, failed=0, added=1, cpu_s=0.0, wall_s=0.0, error=None)
""")

KILLED = FAKE + textwrap.dedent("""
    def fake(args, tick=None):  # a task's build, made instant; the worker on t01 is killed as it starts
        if args[0] == 't01': os.kill(os.getpid(), signal.SIGKILL)
        time.sleep(0.05)
        return row(args[0])
    M._build_task = fake
    d = Path(tempfile.mkdtemp())
    for i in range(20):  # each build ends with a worker waiting for a task and another gone: the pool's old hang
        r = M.build_metadataset(d / f'r{i}.db', P(), [f't0{j}' for j in range(4)], workers=2, progress=False).set_index('task')
        print(sorted(r.index[r.error.notna()]), 'worker process died' in r.error['t01'])
""")

def test_worker_killed_on_taking_a_task():
    out = subprocess.run([sys.executable, '-c', KILLED], capture_output=True, text=True, timeout=120)  # a hang fails here, not for ever
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.split('\n')[:20] == ["['t01'] True"] * 20, out.stdout

SLOW = FAKE + textwrap.dedent("""
    def fake(args, tick=None):  # a task of 1.5 s; each worker process says who it is
        Path(sys.argv[1], str(os.getpid())).touch()
        time.sleep(1.5)
        return row(args[0])
    M._build_task = fake
    M.build_metadataset(Path(sys.argv[1]) / 'r.db', P(), [f't{j}' for j in range(8)], workers=2, progress=False)
""")

def _alive(pid):
    try: os.kill(pid, 0)
    except ProcessLookupError: return False
    return not open(f'/proc/{pid}/stat').read().split(')')[1].split()[0] == 'Z' if os.path.exists(f'/proc/{pid}/stat') else True

def test_no_worker_outlives_a_killed_builder(tmp_path):
    "The builder killed outright (SIGKILL: no cleanup runs): a worker finishes the task it holds, reads that no builder is left, and ends."
    p = subprocess.Popen([sys.executable, '-c', SLOW, str(tmp_path)])
    t0 = time.time()
    while len([f for f in os.listdir(tmp_path) if f.isdigit()]) < 2:
        assert time.time() - t0 < 60 and p.poll() is None, 'the workers did not start'
        time.sleep(0.05)
    p.kill(); p.wait()
    workers = [int(f) for f in os.listdir(tmp_path) if f.isdigit()]
    t0 = time.time()
    while any(_alive(w) for w in workers) and time.time() - t0 < 20: time.sleep(0.1)
    assert not any(_alive(w) for w in workers), [w for w in workers if _alive(w)]

CTRL_C_AT_START = FAKE + textwrap.dedent("""
    import multiprocessing, multiprocessing.context as C
    def fake(args, tick=None):
        time.sleep(0.2)
        return row(args[0])
    M._build_task = fake
    start = C.ForkProcess.start
    def start_then_ctrl_c(self):  # Ctrl-C pressed while the builder forks its first worker: held back (blocked) until the fork is done
        start(self); os.kill(os.getpid(), signal.SIGINT)
    C.ForkProcess.start = start_then_ctrl_c
    if sys.argv[1:] == ['thread']:  # another thread, as a progress bar's monitor or a notebook's: the Ctrl-C goes to it, not held back
        import threading; threading.Thread(target=time.sleep, args=(30,), daemon=True).start()
    try: M.build_metadataset(Path(tempfile.mkdtemp()) / 'r.db', P(), [f't{j}' for j in range(6)], workers=2, progress=False)
    except KeyboardInterrupt as e: held = e  # kept, as a caller's traceback keeps the builder's frames
    print(len(multiprocessing.active_children()), 'worker(s) left')
""")

@pytest.mark.parametrize('where', ['main', 'thread'])
def test_ctrl_c_as_a_worker_starts(where):
    """The worker just forked is stopped with the others: it was left waiting for a task, and the interpreter's exit waited for it for
    ever. With another thread the Ctrl-C is raised before the builder knows the worker: that one was left running (1 in 6 under load)."""
    try: out = subprocess.run([sys.executable, '-c', CTRL_C_AT_START, where], capture_output=True, text=True, timeout=60)
    except subprocess.TimeoutExpired: raise AssertionError('the builder did not end: a worker forked as Ctrl-C came was left running') from None
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip() == '0 worker(s) left', out.stdout

FDS = FAKE + textwrap.dedent("""
    import gc
    gc.disable()  # what the builder leaves open, not what the collector would close some time
    def fake(args, tick=None): return row(args[0])
    M._build_task = fake
    d = Path(tempfile.mkdtemp())
    n = lambda: len(os.listdir('/proc/self/fd'))
    M.build_metadataset(d / 'r.db', P(), ['t0'], workers=2, progress=False); before = n()
    for i in range(5): M.build_metadataset(d / f'r{i}.db', P(), [f't{j:02d}' for j in range(20)], workers=2, progress=False)
    print(n() - before)
""")

def test_no_descriptor_left_per_build():
    if not os.path.isdir('/proc/self/fd'): return
    out = subprocess.run([sys.executable, '-c', FDS], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip() == '0', out.stdout

DIES_BEFORE_TAKING = FAKE + textwrap.dedent("""
    def fake(args, tick=None):
        time.sleep(0.05)
        return row(args[0])
    M._build_task = fake
    pool_worker, flag = M._pool_worker, Path(tempfile.mkdtemp()) / 'died'
    def dies_first(conn, stop, inherited=()):  # the first worker dies before it reads the task the builder sent it
        try: os.close(os.open(flag, os.O_CREAT | os.O_EXCL))
        except FileExistsError: return pool_worker(conn, stop, inherited)
        time.sleep(0.5); os._exit(1)
    M._pool_worker = dies_first
    r = M.build_metadataset(Path(tempfile.mkdtemp()) / 'r.db', P(), [f't{j}' for j in range(4)], workers=2, progress=False)
    print(sorted(r.task), r.error.notna().sum())
""")

def test_task_of_a_worker_dead_before_taking_it_goes_to_another():
    "Nothing of the task ran: it is built by another worker, not reported as died while building."
    out = subprocess.run([sys.executable, '-c', DIES_BEFORE_TAKING], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip() == "['t0', 't1', 't2', 't3'] 0", out.stdout + out.stderr[-1000:]
    assert 'died before starting it; another worker takes it' in out.stderr, out.stderr[-1000:]
