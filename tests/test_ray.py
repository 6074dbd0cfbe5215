"""Real Ray clusters on this machine: a two-node cluster whose second node is killed mid-study, and a local cluster whose
driver is killed mid-study. One cluster at a time (the tests take a lock), each bounded in trials and time."""
import fcntl, json, os, secrets, select, shutil, signal, socket, subprocess, sys, tempfile, time
from pathlib import Path
import pytest

pytest.importorskip('ray')
RAY = Path(sys.executable).parent / 'ray'
ROOT = Path(__file__).resolve().parents[1]

@pytest.fixture(autouse=True)
def one_cluster_at_a_time():
    "Hold a lock while a test runs its cluster: xdist's workers would otherwise start two at once on two cores (conftest's GROUPS runs them on one worker; the lock holds under another --dist)."
    lock = ROOT / '.pytest_cache' / 'metahpo-ray.lock'
    lock.parent.mkdir(exist_ok=True)
    with open(lock, 'w') as f:
        fcntl.flock(f, fcntl.LOCK_EX)
        yield

def _free_port() -> int:
    with socket.socket() as s: s.bind(('127.0.0.1', 0)); return s.getsockname()[1]

def _start(args, temp, env):  # a node in a process group of its own, so that killing the group kills the node and its workers
    return subprocess.Popen([str(RAY), 'start', '--block', '--disable-usage-stats', '--node-ip-address=127.0.0.1', *args],
                            stdout=open(Path(temp) / 'out.log', 'w'), stderr=subprocess.STDOUT, start_new_session=True, env=env)

def _kill(p):
    try: os.killpg(p.pid, signal.SIGKILL)
    except ProcessLookupError: pass
    p.wait(30)

# The driver: its own process, as Ray reads its token settings when it is imported. It tunes 16 grid points at concurrency 4
# (each start leaves a file naming its node) and kills the second node's process group once 4 trials are done.
DRIVER = r'''
import json, os, signal, sys, time
from pathlib import Path
import ray
from metahpo.integrations.ray import RayExecutor
from metahpo.repository import Repository, TaskRecord
from metahpo.space import get_space
from metahpo.tuners import tune
address, node_pgid, out = sys.argv[1], int(sys.argv[2]), Path(sys.argv[3])
starts = out / 'starts'; starts.mkdir()
ray.init(address=address, log_to_driver=False, configure_logging=False)
deadline = time.time() + 90
while sum(n['Alive'] for n in ray.nodes()) < 2 or ray.available_resources().get('CPU', 0) < 4:
    assert time.time() < deadline, 'the second Ray node did not join in 90 s'
    time.sleep(1)
head = ray.get_runtime_context().get_node_id()
def key(c): return f"{c['n_estimators']}-{c['max_depth']}-{c['min_samples_split']}"
def probe(c):  # 2 s on the head, 8 s on the second node, so that trials run there while others finish on the head
    node = ray.get_runtime_context().get_node_id()
    (starts / f"{key(c)}@{node}@{time.time_ns()}").touch()
    time.sleep(2.0 if node == head else 8.0)
    return 0.7 + 0.001 * c['max_depth'] + 0.0001 * c['n_estimators'] - 0.002 * c['min_samples_split']
info = {}
def kill_second_node(study, trial):  # once 4 trials are done and a trial is running on the second node (however loaded the machine)
    if info or len(study.trials) < 4: return
    done = {key(t.config) for t in study.trials}
    if any(n.split('@')[1] != head and n.split('@')[0] not in done for n in os.listdir(starts)):
        os.killpg(node_pgid, signal.SIGKILL); info['killed_at_trial'] = len(study.trials)
space = get_space('random_forest')
st = tune(probe, space, 'grid', budget=16, metric='accuracy', repository=out / 'r.db', task=TaskRecord('probe', 'random_forest', 'tabular'),
          executor=RayExecutor(4, address=address, max_retries=3), callbacks=[kill_second_node], progress=False)
with Repository(out / 'r.db') as repo:
    rec = repo.get_study('probe-random_forest-grid-seed0')
    trials = repo.trials(rec)
    info.update(n_trials=len(trials), n_distinct=len({space.key(t.config) for t in trials}), claims=len(repo.claims(rec)),
                errors=[t.error for t in trials if not t.ok], in_study=len(st.trials))
info['starts'] = [p.name.split('@')[:2] for p in starts.iterdir()]
info['head'] = head
print('RESULT ' + json.dumps(info))
'''

def test_second_node_killed_mid_study(tmp_path):
    if not RAY.exists(): pytest.skip(f"no ray command at {RAY}")
    # `ray start` clusters require a token: one of the test's own for its nodes and its driver
    env = {**os.environ, 'RAY_USAGE_STATS_ENABLED': '0', 'RAY_AUTH_MODE': 'token', 'RAY_AUTH_TOKEN': secrets.token_hex(16)}
    port, head_tmp, node_tmp = _free_port(), tempfile.mkdtemp(prefix='rh'), tempfile.mkdtemp(prefix='rn')
    address = f'127.0.0.1:{port}'
    head = _start(['--head', f'--port={port}', '--num-cpus=2', f'--temp-dir={head_tmp}', '--include-dashboard=false'], head_tmp, env)
    node = None
    try:
        deadline = time.time() + 90
        while subprocess.run([str(RAY), 'status', f'--address={address}'], capture_output=True, env=env).returncode != 0:
            if head.poll() is not None: pytest.fail(f"the Ray head did not start: {(Path(head_tmp) / 'out.log').read_text()[-2000:]}")
            assert time.time() < deadline, 'the Ray head did not come up in 90 s'
            time.sleep(1)
        node = _start([f'--address={address}', '--num-cpus=2'], node_tmp, env)
        r = subprocess.run([sys.executable, '-c', DRIVER, address, str(node.pid), str(tmp_path)], capture_output=True, text=True,
                           env=env, timeout=240)
        line = next((l for l in r.stdout.splitlines() if l.startswith('RESULT ')), None)
        assert r.returncode == 0 and line, f"driver failed ({r.returncode}):\n{r.stdout[-3000:]}\n{r.stderr[-3000:]}"
        info = json.loads(line[7:])
        print({k: v for k, v in info.items() if k != 'starts'})
        assert (info['n_trials'], info['n_distinct'], info['in_study'], info['claims']) == (16, 16, 16, 0)  # none lost, none twice
        assert all('Error' in e for e in info['errors']), info['errors']  # a trial that failed says why
        on_node = {k for k, n in info['starts'] if n != info['head']}
        rerun = {k for k, n in info['starts'] if n == info['head'] and k in on_node}
        print(f"trials started on the killed node: {len(on_node)}; run again on the head after the kill: {len(rerun)}; "
              f"recorded as failed: {len(info['errors'])}")
        assert on_node, 'no trial ran on the second node'
        assert len(rerun) + len(info['errors']) >= 1, 'no trial was running on the second node when it was killed'
        assert rerun | {k for k, n in info['starts'] if n == info['head']} >= on_node  # each interrupted trial ran again elsewhere
        assert node.poll() is not None  # the second node is gone (Ray itself notices only after its health-check timeout)
    finally:
        if node is not None: _kill(node)
        _kill(head)
        for d in (head_tmp, node_tmp): shutil.rmtree(d, ignore_errors=True)


def _procs() -> dict:
    "pid -> (start time, parent pid, name) of every running process (zombies are not: they have ended)."
    out = {}
    for d in filter(str.isdigit, os.listdir('/proc')):
        try: s = Path(f'/proc/{d}/stat').read_bytes(); v = s[s.rindex(b')') + 2:].split()
        except (OSError, ValueError): continue
        if v[0] != b'Z': out[int(d)] = (int(v[19]), int(v[1]), s[s.index(b'(') + 1:s.rindex(b')')].decode())
    return out

def _tree(pid:int) -> dict:
    "pid -> (start time, parent pid, name) of `pid`'s descendants."
    now, out, todo = _procs(), {}, [pid]
    while todo:
        p = todo.pop(); kids = {c: v for c, v in now.items() if v[1] == p}
        out.update(kids); todo += kids
    return out

def _left(procs:dict) -> dict:
    now = _procs()
    return {p: v for p, v in procs.items() if p in now and now[p][0] == v[0]}  # the same process (a pid used again starts later)

# A driver that starts a local cluster, as `metahpo tune --backend ray` does without --address, and says when 2 trials are done.
LOCAL_DRIVER = r"""
import sys, time
from metahpo.integrations.ray import RayExecutor
from metahpo.repository import TaskRecord
from metahpo.space import get_space
from metahpo.tuners import tune
if sys.argv[2:] == ['children']:  # a Ray without the private record of its processes: the watcher takes ray.init's new children
    import metahpo.integrations.ray as R; R._node_pids = lambda ray: []
def probe(c): time.sleep(0.5); return 0.5
def said(study, trial):
    if len(study.trials) == 2: print('MID', flush=True)
tune(probe, get_space('random_forest'), 'random', budget=500, metric='accuracy', repository=sys.argv[1] + '/r.db',
     task=TaskRecord('probe', 'random_forest', 'tabular'), executor=RayExecutor(2), callbacks=[said], progress=False)
"""

@pytest.mark.skipif(not sys.platform.startswith('linux'), reason='reads /proc')
@pytest.mark.parametrize('found_by', ['record', 'children'])
def test_local_cluster_ends_with_a_killed_driver(tmp_path, found_by):
    """A driver killed with SIGKILL mid-study leaves nothing of its local cluster running for long. Ray alone left its two agents
    (dashboard agent, runtime-env agent) for about 60 s: they wait that long to tell the GCS, dead too, that their raylet died."""
    env = {k: v for k, v in os.environ.items() if k != 'RAY_ADDRESS'}
    d = subprocess.Popen([sys.executable, '-c', LOCAL_DRIVER, str(tmp_path), found_by], stdout=subprocess.PIPE, stderr=open(tmp_path / 'err.log', 'w'),
                         text=True, env=env)
    before, left = {}, {}
    try:
        deadline = time.time() + 150
        while (line := d.stdout.readline() if select.select([d.stdout], [], [], 1)[0] else '') != 'MID\n':
            assert d.poll() is None, f"the driver ended ({d.returncode}): {(tmp_path / 'err.log').read_text()[-3000:]}"
            assert time.time() < deadline, 'the driver did not finish 2 trials in 150 s'
        before = _tree(d.pid)
        names = sorted(v[2] for v in before.values())
        assert 'raylet' in names and len(before) >= 5, names  # its cluster: GCS, raylet, agents, workers (and the watcher)
        from metahpo.integrations.ray import _cmdline
        watched = any(v[1] == d.pid and 'grace_s' in _cmdline(p) for p, v in before.items())  # the watcher is the driver's child
        assert watched, f"no watcher among the driver's processes: {names}"
        d.kill(); d.wait(); t0 = time.monotonic()
        while (left := _left(before)) and time.monotonic() - t0 < 20: time.sleep(0.25)
        gone_s = time.monotonic() - t0
        print(f"{len(before)} processes under the driver; {len(left)} left {gone_s:.1f} s after its SIGKILL")
        assert not left, f"left {gone_s:.0f} s after the driver's SIGKILL: {sorted(f'{v[2]} ({p})' for p, v in left.items())}"
        assert gone_s < 10, gone_s
    finally:
        d.kill(); d.wait()
        for p in _left(before):  # bounded: whatever is still there
            try: os.kill(p, signal.SIGKILL)
            except ProcessLookupError: pass


# A driver whose local Ray start times out `sys.argv[1]` times, as on a loaded machine: Ray's own start runs (its GCS, raylet and
# their agents), then Ray's own exception ("The current node timed out during startup", raised after a fixed 30 s there).
FLAKY_DRIVER = r"""
import json, os, sys, time
import ray, ray._private.node as node
import metahpo.integrations.ray as R
from metahpo.core import MetahpoError
def procs():
    out = {}
    for d in filter(str.isdigit, os.listdir('/proc')):
        try: s = open(f'/proc/{d}/stat', 'rb').read(); v = s[s.rindex(b')') + 2:].split()
        except (OSError, ValueError): continue
        if v[0] != b'Z': out[int(d)] = (int(v[19]), int(v[1]), s[s.index(b'(') + 1:s.rindex(b')')].decode())
    return out
def tree():
    now, out, todo = procs(), {}, [os.getpid()]
    while todo:
        p = todo.pop(); kids = {c: v for c, v in now.items() if v[1] == p}
        out.update(kids); todo += kids
    return out
fails, failed, start = int(sys.argv[1]), [], node.Node.start_ray_processes
def timing_out(self, *a, **kw):
    start(self, *a, **kw)
    if len(failed) < fails:
        deadline = time.time() + 20
        while not {'raylet', 'gcs_server'} <= {v[2] for v in tree().values()} and time.time() < deadline: time.sleep(0.2)
        time.sleep(1.0)  # the raylet's agents start
        failed.append(tree())
        raise Exception("The current node timed out during startup. This could happen because some of the raylet failed to startup or the GCS has become overloaded.")
node.Node.start_ray_processes = timing_out
out = {}
try: out['started'] = R.ray_init(num_cpus=1); out['cpus'] = ray.cluster_resources().get('CPU')
except MetahpoError as e: out['error'] = str(e)
now = procs()
out['initialized'], out['failed'] = ray.is_initialized(), [sorted(v[2] for v in t.values()) for t in failed]
out['left'] = sorted(f'{v[2]} ({p})' for t in failed for p, v in t.items() if p in now and now[p][0] == v[0])
ray.shutdown()
print('RESULT ' + json.dumps(out), flush=True)
"""

@pytest.mark.skipif(not sys.platform.startswith('linux'), reason='reads /proc')
@pytest.mark.parametrize('fails', [1, 2])
def test_local_start_timed_out(tmp_path, fails):
    "A local start that times out is ended (nothing of it left) and tried once more; a second timeout is one clear error."
    env = {k: v for k, v in os.environ.items() if k != 'RAY_ADDRESS'}
    r = subprocess.run([sys.executable, '-c', FLAKY_DRIVER, str(fails)], capture_output=True, text=True, env=env, timeout=240)
    line = next((l for l in r.stdout.splitlines() if l.startswith('RESULT ')), None)
    assert r.returncode == 0 and line, f"driver failed ({r.returncode}):\n{r.stdout[-3000:]}\n{r.stderr[-3000:]}"
    out = json.loads(line[7:])
    print(out)
    assert len(out['failed']) == fails and all('raylet' in f and 'gcs_server' in f for f in out['failed']), out['failed']
    assert out['left'] == [], out['left']  # every process of a failed start is gone
    if fails == 1: assert (out.get('started'), out.get('cpus'), out['initialized']) == (True, 1.0, True), out  # the retry started it
    else:
        assert not out['initialized'] and 'started' not in out, out
        assert 'a local Ray cluster did not start, twice: its node timed out during startup' in out['error'], out['error']
        assert 'ray start --head' in out['error'], out['error']

EXPOSED_DRIVER = r"""
import ray
from metahpo.integrations.ray import ray_init
assert ray_init(num_cpus=1)
ray.shutdown()
"""

@pytest.mark.parametrize('mode', ['disabled', None])
def test_local_cluster_without_token_is_warned_of(tmp_path, mode):
    "A local cluster whose servers anyone who reaches this machine could use (no token asked) is warned of when it starts; one that asks for its token is not."
    env = {k: v for k, v in os.environ.items() if k not in ('RAY_ADDRESS', 'RAY_AUTH_MODE')}
    if mode: env['RAY_AUTH_MODE'] = mode
    r = subprocess.run([sys.executable, '-c', EXPOSED_DRIVER], capture_output=True, text=True, env=env, timeout=180, cwd=tmp_path)
    assert r.returncode == 0, f"driver failed ({r.returncode}):\n{r.stdout[-3000:]}\n{r.stderr[-3000:]}"
    warned = "listen on every network interface of this machine" in r.stderr
    if mode == 'disabled': assert warned and 'RAY_AUTH_MODE=disabled' in r.stderr, r.stderr[-3000:]
    else: assert not warned, r.stderr[-3000:]  # Ray 2.60 asks a new local cluster's requests for its token when RAY_AUTH_MODE is unset: nothing to warn of
