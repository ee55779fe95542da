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
 * CPU seconds (user + system) a process has used, its reaped children's
 * included (so a worker that exits still counts, through its parent); 0 once it has ended.
 */
export function cpuSeconds(pid: number): number {
  try {
    const fields = statFields(pid);
    // utime, stime, cutime, cstime are fields 14-17 of /proc/<pid>/stat.
    const ticks = [11, 12, 13, 14].reduce((sum, index) => sum + Number(fields[index] ?? 0), 0);
    return ticks / ticksPerSecond;
  } catch {
    return 0;
  }
}

/** /proc/<pid>/stat from field 3 (state) on: the command name before it may hold spaces. */
function statFields(pid: number): string[] {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  return stat.slice(stat.lastIndexOf(")") + 2).split(" ");
}
