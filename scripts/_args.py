"""What the design scripts share on their command line: with no argument, their usage (the commands their docstring
names) instead of an IndexError; a misspelt variant or view named with the ones allowed, instead of a KeyError or a traceback after setup."""
import sys

def usage(doc:str) -> str:
    "The commands a script's docstring names (its lines that run `python ... scripts/...`)."
    return '\n'.join(l.strip() for l in (doc or '').splitlines() if 'python' in l and 'scripts/' in l)

def need(doc:str, n:int=1) -> None:
    "Exit with the script's usage when it was given fewer than `n` arguments."
    if len(sys.argv) <= n: sys.exit(f"{sys.argv[0]}: give what to run; usage:\n{usage(doc)}")

def variants(known, default=None, at:int=2) -> list[str]:
    "The comma-separated variant names in sys.argv[at] (`default`, else every known one, when absent), each one of `known`, or exit naming the unknown ones."
    if len(sys.argv) <= at: return list(known if default is None else default)
    names = [n for n in sys.argv[at].split(',') if n]
    if not names or (bad := [n for n in names if n not in known]):
        sys.exit(f"variant(s) {', '.join(map(repr, bad)) if names else repr(sys.argv[at])} not known here: give comma-separated names of {', '.join(known)}")
    return names

def view(name:str, allowed) -> str:
    "`name` if it is one of `allowed` (the views a script runs on), else exit naming them."
    allowed = list(allowed)
    if name not in allowed: sys.exit(f"view {name!r} is not known here: give one of {', '.join(allowed)}")
    return name

def on_help(doc:str|None, name:str) -> None:
    "Run as a script (`name` is its `__name__`) with -h or --help: print its docstring (what it does, the commands it runs) and exit, before anything is read, computed or written."
    if name == '__main__' and any(a in ('-h', '--help') for a in sys.argv[1:]):
        print((doc or '').strip() or f"{sys.argv[0]}: no description"); sys.exit(0)
