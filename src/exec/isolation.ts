// What the machine offers to cut a sandboxed process off the network, detected once: a new
// network namespace through `unshare -rn` (unprivileged user namespace) or `unshare -n` (root).
import { spawnSync } from "node:child_process";

export interface NetworkIsolation {
  /** Prepended to the sandboxed command; empty when there is none. */
  prefix: string[];
  /** Said once per run when the network stays reachable (refused in-process only). */
  note: string | null;
}

let cached: NetworkIsolation | null = null;

function works(args: string[]): boolean {
  const r = spawnSync("unshare", [...args, "true"], { stdio: "ignore", timeout: 5000 });
  return r.status === 0;
}

export function networkIsolation(): NetworkIsolation {
  if (cached) return cached;
  if (process.platform === "linux") {
    for (const args of [["-rn"], ["-n"]])
      if (works(args)) return (cached = { prefix: ["unshare", ...args], note: null });
  }
  return (cached = {
    prefix: [],
    note:
      "Candidates run without a network namespace here (`unshare -n` is not available), so network " +
      "access is refused inside the interpreter only (an audit hook for Python, patched sockets for JavaScript).",
  });
}
