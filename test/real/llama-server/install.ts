// Gets a llama-server for the real-server suite: on the PATH, in LLAMA_SERVER, or (as root on
// Debian with apt) installed from Debian sid into a cache outside the checkout. Recipe and facts:
// docs/reference/llamacpp-real.md ("The server").
import { spawnSync } from "node:child_process";
import {
  existsSync,
  readdirSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
  copyFileSync,
} from "node:fs";
import { homedir } from "node:os";
import { basename, dirname, join } from "node:path";

/** How to start the server binary: a command and the arguments before the server's own. */
export interface LlamaServerCommand {
  command: string;
  prefix: string[];
  /** Where it came from, for the suite's log line. */
  origin: string;
  /** Debian sid tree it runs from (sid install only). */
  root?: string;
}

export type Found = { ok: true; server: LlamaServerCommand; setupMs: number } | { ok: false; reason: string };

const log = (msg: string) => process.stderr.write(`[llama-server setup] ${msg}\n`);

export function cacheRoot(): string {
  const base = process.env.XDG_CACHE_HOME || join(homedir(), ".cache");
  return join(base, "tts-reasoner", "llama.cpp-sid");
}

function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? "").split(":")) {
    const p = join(dir, name);
    if (dir && existsSync(p)) return p;
  }
  return undefined;
}

function runs(server: LlamaServerCommand): boolean {
  const r = spawnSync(server.command, [...server.prefix, "--version"], { encoding: "utf8", timeout: 30_000 });
  return r.status === 0 && /version/i.test(`${r.stdout}${r.stderr}`);
}

/** A binary from the sid tree run with the tree's own loader: no chroot, no mounts. */
export function treeCommand(root: string): LlamaServerCommand {
  // The binary's RUNPATH (/usr/lib/x86_64-linux-gnu/llama) is absolute: its tree copy is named here.
  const libs = ["usr/lib/x86_64-linux-gnu/llama", "usr/lib/x86_64-linux-gnu", "lib/x86_64-linux-gnu"].map(
    (d) => join(root, d),
  );
  return {
    command: join(root, "lib64/ld-linux-x86-64.so.2"),
    prefix: ["--library-path", libs.join(":"), join(root, "usr/bin/llama-server")],
    origin: `Debian sid tree ${root} (its own loader)`,
    root,
  };
}

function sh(cmd: string, args: string[], what: string, tries = 1): void {
  for (let i = 1; ; i++) {
    const r = spawnSync(cmd, args, {
      stdio: ["ignore", "ignore", "pipe"],
      encoding: "utf8",
      timeout: 15 * 60_000,
    });
    if (r.status === 0) return;
    const err = `${what} failed (exit ${r.status ?? r.signal}): ${(r.stderr ?? "").trim().split("\n").slice(-3).join(" | ")}`;
    if (i >= tries) throw new Error(err);
    log(`${err}; retry ${i}/${tries - 1} in ${5 * i}s`);
    spawnSync("sleep", [String(5 * i)]);
  }
}

function debianMirror(): string {
  const f = "/etc/apt/sources.list.d/debian.sources";
  const text = existsSync(f) ? readFileSync(f, "utf8") : "";
  const m = /^URIs:\s*(\S+)/m.exec(text);
  if (m?.[1] && !m[1].includes("security")) return m[1];
  return "http://deb.debian.org/debian";
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** One installer at a time: a lock directory holding the owner's pid; a dead owner's lock is taken over. */
function withLock<T>(lockDir: string, fn: () => T): T {
  const deadline = Date.now() + 20 * 60_000;
  for (;;) {
    try {
      mkdirSync(lockDir);
      writeFileSync(join(lockDir, "pid"), String(process.pid));
      break;
    } catch {
      let owner = NaN;
      try {
        owner = Number(readFileSync(join(lockDir, "pid"), "utf8"));
      } catch {
        /* being written or removed */
      }
      if (Number.isFinite(owner) && owner > 0 && !pidAlive(owner)) {
        log(`taking over the lock of dead installer ${owner}`);
        rmSync(lockDir, { recursive: true, force: true });
        continue;
      }
      if (Date.now() > deadline) throw new Error(`waited 20 min for the install lock ${lockDir}`);
      spawnSync("sleep", ["2"]);
    }
  }
  try {
    return fn();
  } finally {
    rmSync(lockDir, { recursive: true, force: true });
  }
}

function mounted(path: string): boolean {
  const mounts = existsSync("/proc/mounts") ? readFileSync("/proc/mounts", "utf8") : "";
  return mounts.split("\n").some((l) => l.split(" ")[1] === path);
}

/** Removes a half-made tree, its /proc unmounted first (never delete through a mounted /proc). */
function removeTree(dir: string): void {
  const proc = join(dir, "proc");
  if (mounted(proc)) spawnSync("umount", [proc]);
  if (mounted(proc)) throw new Error(`could not unmount ${proc}`);
  rmSync(dir, { recursive: true, force: true });
}

/** Trees left by installers that died (the lock is held, so none is in use). */
function removeLeftovers(root: string): void {
  const parent = dirname(root);
  for (const name of readdirSync(parent))
    if (name.startsWith(`${basename(root)}.tmp-`)) removeTree(join(parent, name));
}

function installSid(root: string): void {
  removeLeftovers(root);
  const tmp = `${root}.tmp-${process.pid}`;
  mkdirSync(tmp, { recursive: true });
  const proc = join(tmp, "proc");
  try {
    if (!onPath("debootstrap")) {
      log("apt-get install debootstrap");
      sh("apt-get", ["update"], "apt-get update", 3);
      sh(
        "apt-get",
        ["install", "-y", "--no-install-recommends", "debootstrap"],
        "apt-get install debootstrap",
        3,
      );
    }
    const mirror = debianMirror();
    log(`debootstrap --variant=minbase sid from ${mirror} (about 5 minutes)`);
    for (let attempt = 1; ; attempt++) {
      try {
        sh("debootstrap", ["--variant=minbase", "sid", tmp, mirror], "debootstrap");
        break;
      } catch (e) {
        if (attempt >= 2) throw e;
        log(`${(e as Error).message}; starting over`);
        removeTree(tmp);
        mkdirSync(tmp, { recursive: true });
      }
    }
    mkdirSync(proc, { recursive: true });
    sh("mount", ["-t", "proc", "proc", proc], "mount proc");
    if (existsSync("/etc/resolv.conf")) copyFileSync("/etc/resolv.conf", join(tmp, "etc/resolv.conf"));
    log("apt-get install llama.cpp-tools in the sid tree");
    // sid's Release file on the mirror may have expired; a plain update refuses it.
    sh(
      "chroot",
      [tmp, "apt-get", "-o", "Acquire::Check-Valid-Until=false", "update"],
      "apt-get update (sid)",
      3,
    );
    sh(
      "chroot",
      [tmp, "apt-get", "install", "-y", "--no-install-recommends", "llama.cpp-tools"],
      "apt-get install llama.cpp-tools",
      3,
    );
    sh("chroot", [tmp, "apt-get", "clean"], "apt-get clean");
  } catch (e) {
    removeTree(tmp);
    throw e;
  } finally {
    if (mounted(proc)) spawnSync("umount", [proc]);
  }
  if (mounted(proc)) throw new Error(`could not unmount ${proc}`);
  rmSync(root, { recursive: true, force: true });
  renameSync(tmp, root);
}

export const HOW =
  "set LLAMA_SERVER=/path/to/llama-server, put llama-server on the PATH, or run as root on Debian with apt";

/** Finds or installs llama-server. Never throws: a reason comes back instead. */
export function findLlamaServer(): Found {
  const t0 = Date.now();
  const explicit = process.env.LLAMA_SERVER;
  if (explicit) {
    const s: LlamaServerCommand = { command: explicit, prefix: [], origin: `LLAMA_SERVER=${explicit}` };
    return runs(s)
      ? { ok: true, server: s, setupMs: Date.now() - t0 }
      : { ok: false, reason: `LLAMA_SERVER=${explicit} does not run` };
  }
  const p = onPath("llama-server");
  if (p) {
    const s: LlamaServerCommand = { command: p, prefix: [], origin: `PATH (${p})` };
    if (runs(s)) return { ok: true, server: s, setupMs: Date.now() - t0 };
  }
  const root = cacheRoot();
  const cached = treeCommand(root);
  if (existsSync(join(root, "usr/bin/llama-server")) && runs(cached))
    return { ok: true, server: cached, setupMs: Date.now() - t0 };
  const isRoot = process.getuid?.() === 0;
  if (!isRoot || !onPath("apt-get") || process.platform !== "linux" || process.arch !== "x64") {
    return { ok: false, reason: `no llama-server found (${HOW})` };
  }
  try {
    mkdirSync(join(root, ".."), { recursive: true });
    withLock(`${root}.lock`, () => {
      // Another process may have finished the install while this one waited.
      if (existsSync(join(root, "usr/bin/llama-server")) && runs(cached)) return;
      installSid(root);
    });
  } catch (e) {
    return { ok: false, reason: `installing llama-server failed: ${(e as Error).message}` };
  }
  if (!runs(cached))
    return { ok: false, reason: `llama-server installed in ${root} but does not run with the tree's loader` };
  return { ok: true, server: cached, setupMs: Date.now() - t0 };
}

// `tsx test/real/llama-server/install.ts`: install (or find) now, e.g. ahead of the suite.
if (process.argv[1] && /install\.ts$/.test(process.argv[1])) {
  const r = findLlamaServer();
  if (r.ok) log(`${r.server.origin}, ready in ${(r.setupMs / 1000).toFixed(1)} s`);
  else log(r.reason);
  process.exit(r.ok ? 0 : 1);
}
