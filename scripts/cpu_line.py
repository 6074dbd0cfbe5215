"""One line naming the CPU this runs on and the settings that choose numeric kernels, as a suite's `last_run_cpu` records
them: the first line of the controls scripts' logs (meta_test_controls.sh, loto_controls.sh, fomaml_controls.sh)."""
import _args; _args.on_help(__doc__, __name__)  # -h/--help: this docstring, before anything runs
from metahpo.suites import _cpu

if __name__ == '__main__':
    c = _cpu()
    print(f"CPU: {c['model']}, widest vector instructions {c['vector']}; OPENBLAS_CORETYPE={c['OPENBLAS_CORETYPE']}, OMP_NUM_THREADS={c['OMP_NUM_THREADS']}")
