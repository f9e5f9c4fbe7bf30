// The program that runs one Python candidate against its tests inside the sandbox. It sets
// the memory limit, refuses writes outside its directory, network, processes and ctypes with
// an audit hook (sys.addaudithook: hooks cannot be removed once added), times each test with
// an interval timer, and reports one JSON line per test after a marker the candidate never sees.
export const PYTHON_HARNESS = String.raw`
import ast, io, json, os, resource, signal, sys

MARK = os.environ.pop("TTS_MARK")
MEM = int(os.environ.pop("TTS_MEM"))
PER_TEST = float(os.environ.pop("TTS_TEST_S"))
OUT = os.dup(1)

def emit(obj):
    os.write(OUT, (MARK + json.dumps(obj) + "\n").encode())

def short(text, n=300):
    text = str(text)
    return text if len(text) <= n else text[: n - 1] + "\u2026"

with open("candidate.py", encoding="utf-8") as f:
    SRC = f.read()
with open("tests.json", encoding="utf-8") as f:
    TESTS = json.load(f)
try:
    CODE = compile(SRC, "candidate.py", "exec")
except (SyntaxError, ValueError) as e:
    emit({"parseError": short("%s: %s (line %s)" % (type(e).__name__, getattr(e, "msg", e), getattr(e, "lineno", "?")))})
    sys.exit(0)

ROOT = os.path.realpath(os.getcwd())
WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_APPEND | os.O_CREAT | os.O_TRUNC
PATH_ARGS = {"os.remove": (0,), "os.rename": (0, 1), "os.rmdir": (0,), "os.mkdir": (0,), "os.chmod": (0,),
             "os.chown": (0,), "os.truncate": (0,), "os.symlink": (0, 1), "os.link": (0, 1), "os.utime": (0,),
             "shutil.rmtree": (0,), "shutil.copyfile": (1,), "shutil.copytree": (1,), "shutil.move": (0, 1)}
REFUSED = ("socket.", "subprocess.", "os.system", "os.exec", "os.posix_spawn", "os.spawn", "os.fork",
           "os.forkpty", "os.kill", "os.killpg", "ctypes.", "pty.", "sys.addaudithook", "os.putenv")

def inside(path):
    if isinstance(path, int):
        return True
    try:
        full = os.path.realpath(os.path.join(ROOT, os.fsdecode(path)))
    except Exception:
        return False
    return full == ROOT or full.startswith(ROOT + os.sep)

class Refused(PermissionError):
    pass

def refuse(what):
    emit({"refused": what})
    raise Refused("sandbox: " + what + " refused")

def hook(event, args):
    if event == "open":
        path, mode, flags = args
        writes = (isinstance(mode, str) and any(c in mode for c in "wax+")) or (isinstance(flags, int) and flags & WRITE_FLAGS)
        if writes and not inside(path):
            refuse("writing outside the temporary directory (%s)" % short(os.fsdecode(path) if not isinstance(path, int) else path, 120))
    elif event in PATH_ARGS:
        for i in PATH_ARGS[event]:
            if i < len(args) and not inside(args[i]):
                refuse("changing a file outside the temporary directory (%s)" % short(args[i], 120))
    elif event.startswith(REFUSED):
        refuse("network connection" if event.startswith("socket.") else event)

class Sink(io.TextIOBase):
    """The candidate's own prints: kept small, never mixed with the results."""
    def __init__(self):
        self.size = 0
    def write(self, s):
        self.size += len(s)
        return len(s)
    def writable(self):
        return True

class TestTimeout(BaseException):
    pass

def on_alarm(signum, frame):
    raise TestTimeout("timed out after %gs" % PER_TEST)

resource.setrlimit(resource.RLIMIT_AS, (MEM, MEM))
signal.signal(signal.SIGALRM, on_alarm)
sys.stdout = sys.stderr = Sink()
sys.addaudithook(hook)

def failure(e):
    if isinstance(e, MemoryError):
        return "MemoryError: memory limit (%d MB)" % (MEM // 2**20)
    if isinstance(e, AssertionError) and not str(e):
        return "AssertionError"
    return short("%s: %s" % (type(e).__name__, e))

def timed(fn):
    signal.setitimer(signal.ITIMER_REAL, PER_TEST)
    try:
        return fn()
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)

ns = {"__name__": "candidate", "__builtins__": __builtins__}
loaded = None
try:
    timed(lambda: exec(CODE, ns))
except BaseException as e:
    loaded = "error while loading the code: " + failure(e)

for test in TESTS:
    tid = test["id"]
    if loaded:
        emit({"test": tid, "passed": False, "message": loaded})
        continue
    try:
        tree = ast.parse(test["source"], mode="exec")
    except SyntaxError as e:
        emit({"test": tid, "passed": False, "message": "the test does not parse: " + short(e.msg)})
        continue
    node = tree.body[0] if len(tree.body) == 1 else None
    try:
        if (isinstance(node, ast.Assert) and isinstance(node.test, ast.Compare) and len(node.test.ops) == 1
                and isinstance(node.test.ops[0], ast.Eq)):
            left = compile(ast.Expression(node.test.left), "test", "eval")
            right = compile(ast.Expression(node.test.comparators[0]), "test", "eval")
            got = timed(lambda: eval(left, ns))
            value = short(repr(got), 200)
            want = eval(right, ns)
            if timed(lambda: got == want):
                emit({"test": tid, "passed": True, "value": value})
            else:
                emit({"test": tid, "passed": False, "value": value,
                      "message": "AssertionError: got %s, expected %s" % (short(repr(got), 120), short(repr(want), 120))})
        else:
            timed(lambda: exec(compile(tree, "test", "exec"), ns))
            emit({"test": tid, "passed": True})
    except BaseException as e:
        emit({"test": tid, "passed": False, "message": failure(e)})
emit({"done": True})
os._exit(0)
`;
