// Usage: node .ci/check-lockfile.mjs <committed-lockfile> <lockfile-after-npm-install>
//
// Fails when `npm install` had to change the committed lockfile in a way that matters: a
// package.json change not reflected in the lockfile, or any locked version, integrity or
// dependency edge that moved. What it tolerates: optional packages for other platforms
// (another os, cpu or libc) appearing or disappearing, because whether the registry serves,
// say, @lancedb/lancedb-win32-arm64-msvc today is not ours to control and never reaches this
// machine. (`npm ci` is not an option: it rejects a lockfile missing such packages, and the
// registry reachable here lacks some of them.)
import { readFileSync } from "node:fs";
import { isDeepStrictEqual } from "node:util";

const [committedPath, installedPath] = process.argv.slice(2);
if (!committedPath || !installedPath) {
  process.stderr.write("usage: check-lockfile.mjs <committed-lockfile> <installed-lockfile>\n");
  process.exit(2);
}

const readLockfile = (path) => JSON.parse(readFileSync(path, "utf8"));
const committed = readLockfile(committedPath);
const installed = readLockfile(installedPath);

const thisLibc = process.report?.getReport().header.glibcVersionRuntime ? "glibc" : "musl";
/** npm's os/cpu/libc rule: a list of allowed values, or of excluded ones written "!value". */
const matches = (allowed, value) => {
  if (!Array.isArray(allowed) || allowed.length === 0) return true;
  if (allowed.includes(`!${value}`)) return false;
  const named = allowed.filter((entry) => !entry.startsWith("!"));
  return named.length === 0 || named.includes(value);
};

/** An optional package that npm would never install on this machine. */
const isOtherPlatformOptional = (entry) =>
  (entry.optional === true || entry.devOptional === true) &&
  !(
    matches(entry.os, process.platform) &&
    matches(entry.cpu, process.arch) &&
    (process.platform !== "linux" || matches(entry.libc, thisLibc))
  );

const problems = [];
for (const field of ["name", "version", "lockfileVersion", "requires"]) {
  if (!isDeepStrictEqual(committed[field], installed[field])) {
    problems.push(`top-level "${field}" changed`);
  }
}

const committedPackages = committed.packages ?? {};
const installedPackages = installed.packages ?? {};
const paths = new Set([...Object.keys(committedPackages), ...Object.keys(installedPackages)]);
for (const path of paths) {
  const before = committedPackages[path];
  const after = installedPackages[path];
  const name = path === "" ? "the root package (package.json)" : path;
  if (before && after) {
    if (!isDeepStrictEqual(before, after)) problems.push(`${name} changed`);
  } else if (before) {
    if (!isOtherPlatformOptional(before)) problems.push(`${name} was removed`);
  } else if (after && !isOtherPlatformOptional(after)) {
    problems.push(`${name} was added`);
  }
}

if (problems.length > 0) {
  process.stderr.write(
    [
      "package-lock.json does not match package.json: npm install had to change it.",
      ...problems.slice(0, 20).map((problem) => `  - ${problem}`),
      ...(problems.length > 20 ? [`  - … and ${problems.length - 20} more`] : []),
      "Run npm install (on Node 22 or later: source .ci/use-node) and commit package-lock.json.",
      "",
    ].join("\n"),
  );
  process.exit(1);
}
