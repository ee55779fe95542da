import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";

/** The process and all its descendants, from /proc (Linux only). */
export function processTree(rootPid: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const fields = statFields(Number(entry));
      const parent = Number(fields[1]);
      children.set(parent, [...(children.get(parent) ?? []), Number(entry)]);
    } catch {
      // the process ended while listing
    }
  }
  const tree = [rootPid];
  for (let i = 0; i < tree.length; i++) tree.push(...(children.get(tree[i] ?? -1) ?? []));
  return tree;
}

/** Resident memory of one process. KiB; 0 once it has ended. */
export function rssKib(pid: number): number {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return match ? Number(match[1]) : 0;
  } catch {
    return 0; // the process ended between listing and reading
  }
}

const ticksPerSecond =
  Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;

/**
 * CPU seconds a process has used in user and in kernel mode, its reaped
 * children's included (so a worker that exits still counts, through its
 * parent); 0 once it has ended. The kernel share is mostly socket reads and
 * writes: on loopback a write also pays for the peer's receive path.
 */
export function cpuTimes(pid: number): { user: number; system: number } {
  try {
    const fields = statFields(pid);
    // utime, stime, cutime, cstime are fields 14-17 of /proc/<pid>/stat.
    const [utime, stime, cutime, cstime] = [11, 12, 13, 14].map((index) =>
      Number(fields[index] ?? 0),
    );
    return {
      user: ((utime ?? 0) + (cutime ?? 0)) / ticksPerSecond,
      system: ((stime ?? 0) + (cstime ?? 0)) / ticksPerSecond,
    };
  } catch {
    return { user: 0, system: 0 };
  }
}

/** /proc/<pid>/stat from field 3 (state) on: the command name before it may hold spaces. */
function statFields(pid: number): string[] {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  return stat.slice(stat.lastIndexOf(")") + 2).split(" ");
}
