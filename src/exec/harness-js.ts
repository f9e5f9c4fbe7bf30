// The program that runs one JavaScript candidate against its tests inside the sandbox. Node's
// permission model (started with --permission / --experimental-permission, reads and writes
// allowed in the temporary directory only, no child processes or workers) refuses file access
// outside it; sockets and fetch are refused here as well (Node 20's model does not cover
// network). Each test runs with vm's own timeout; one JSON line per test after a marker.
export const JS_HARNESS = String.raw`
"use strict";
const fs = require("fs");
const vm = require("vm");
const util = require("util");
const nodeAssert = require("assert");
const MARK = process.env.TTS_MARK;
delete process.env.TTS_MARK;
const PER_TEST = Number(process.env.TTS_TEST_MS);
const emit = (o) => fs.writeSync(1, MARK + JSON.stringify(o) + "\n");
const short = (s, n = 300) => (String(s).length <= n ? String(s) : String(s).slice(0, n - 1) + "\u2026");
const src = fs.readFileSync("candidate.js", "utf8");
const tests = JSON.parse(fs.readFileSync("tests.json", "utf8"));
let script;
try {
  script = new vm.Script(src, { filename: "candidate.js" });
} catch (e) {
  emit({ parseError: short((e && e.name ? e.name + ": " : "") + (e && e.message)) });
  process.exit(0);
}
const refuse = (what) => {
  emit({ refused: what });
  throw new Error("sandbox: " + what + " refused");
};
const net = require("net");
net.Socket.prototype.connect = () => refuse("network connection");
net.connect = net.createConnection = () => refuse("network connection");
require("dgram").createSocket = () => refuse("network socket");
globalThis.fetch = () => refuse("network connection");
let last;
let recorded = false;
const record = (v) => {
  if (!recorded) last = v;
  recorded = true;
};
const wrap = (fn) => (actual, ...rest) => {
  record(actual);
  return fn(actual, ...rest);
};
const assert = Object.assign(wrap(nodeAssert), {});
for (const k of ["ok", "equal", "strictEqual", "deepEqual", "deepStrictEqual", "notEqual", "notStrictEqual", "notDeepStrictEqual", "throws"])
  assert[k] = wrap(nodeAssert[k]);
globalThis.assert = assert;
const sink = () => undefined;
const quiet = { log: sink, info: sink, warn: sink, error: sink, debug: sink, trace: sink, dir: sink, table: sink };
quiet.assert = wrap((v, ...m) => nodeAssert(v, m.length ? util.format(...m) : "console.assert failed"));
globalThis.console = Object.assign(Object.create(console), quiet);
globalThis.module = { exports: {} };
globalThis.exports = globalThis.module.exports;
globalThis.require = require;
const failure = (e) => {
  if (e && e.code === "ERR_SCRIPT_EXECUTION_TIMEOUT") return "timed out after " + PER_TEST / 1000 + "s";
  if (e && e.code === "ERR_ACCESS_DENIED") {
    const what = /^(ChildProcess|Worker)$/.test(e.permission)
      ? "starting a process or worker"
      : "file access outside the temporary directory (" + short(e.resource || e.permission, 120) + ")";
    emit({ refused: what });
    return "sandbox: " + what + " refused";
  }
  if (e && e.code === "ERR_ASSERTION" && "expected" in e)
    return short("AssertionError: got " + util.inspect(e.actual, { depth: 3, breakLength: Infinity }) + ", expected " + util.inspect(e.expected, { depth: 3, breakLength: Infinity }));
  return short((e && e.name ? e.name + ": " : "") + (e && e.message !== undefined ? e.message : String(e)));
};
let loaded = null;
try {
  script.runInThisContext({ timeout: PER_TEST });
  const exported = globalThis.module.exports;
  if (typeof exported === "function" && exported.name && !(exported.name in globalThis)) globalThis[exported.name] = exported;
  else if (exported && typeof exported === "object")
    for (const [k, v] of Object.entries(exported)) if (!(k in globalThis)) globalThis[k] = v;
} catch (e) {
  loaded = "error while loading the code: " + failure(e);
}
for (const test of tests) {
  if (loaded) {
    emit({ test: test.id, passed: false, message: loaded });
    continue;
  }
  last = undefined;
  recorded = false;
  let value;
  try {
    new vm.Script(test.source, { filename: "test" }).runInThisContext({ timeout: PER_TEST });
    if (recorded) value = short(util.inspect(last, { depth: 4, breakLength: Infinity }), 200);
    emit({ test: test.id, passed: true, ...(value !== undefined ? { value } : {}) });
  } catch (e) {
    if (recorded) value = short(util.inspect(last, { depth: 4, breakLength: Infinity }), 200);
    emit({ test: test.id, passed: false, message: failure(e), ...(value !== undefined ? { value } : {}) });
  }
}
emit({ done: true });
process.exit(0);
`;
