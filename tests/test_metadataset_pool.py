"A meta-dataset build whose pool worker dies at once on taking a task (before it could say much) fails that task and goes on."
import subprocess, sys, textwrap

SCRIPT = textwrap.dedent("""
    import os, signal, time, tempfile
    from pathlib import Path
    import metahpo.metadataset as M
    def fake(args, tick=None):  # a task's build, made instant; the worker on t01 is killed as it starts
        if args[0] == 't01': os.kill(os.getpid(), signal.SIGKILL)
        time.sleep(0.05)
        return dict(task=args[0], study=args[0], before=0, trials=1, failed=0, added=1, cpu_s=0.0, wall_s=0.0, error=None)
    M._build_task = fake
    class P:  # the least a protocol needs here
        family, space, budget = 'x', 'grid', 1
        def study_name(self, t): return f'study-{t}'
        def check_tasks(self, tasks, d): pass
        def load(self, *a): pass
        def objective(self, *a): pass
    d = Path(tempfile.mkdtemp())
    for i in range(3):
        r = M.build_metadataset(d / f'r{i}.db', P(), [f't0{j}' for j in range(4)], workers=2, progress=False).set_index('task')
        print(sorted(r.index[r.error.notna()]), 'worker process died' in r.error['t01'])
""")

def test_worker_killed_on_taking_a_task():
    out = subprocess.run([sys.executable, '-c', SCRIPT], capture_output=True, text=True, timeout=120)  # a hang fails here, not for ever
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.split('\n')[:3] == ["['t01'] True"] * 3, out.stdout
