import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import { z } from "zod";
import { KbError } from "../errors.js";
import { parseJsonOrUndefined } from "../text/parse-json.js";
import type { LockObjectStore, LockObjectVersion } from "./lock-object-store.js";

const LockRecord = z.object({
  owner: z.string(),
  host: z.string(),
  pid: z.number(),
  acquiredAt: z.string(),
  /** ISO time after which another writer may take the lock over. */
  expiresAt: z.string(),
});
type LockRecord = z.infer<typeof LockRecord>;

export interface HeldLock {
  /** Aborted when the lease was lost (taken over after it lapsed): stop writing. */
  readonly lost: AbortSignal;
  release(): Promise<void>;
}

export interface ObjectLockOptions {
  /** How long the lock holds without a renewal. Default 30 s; renewed every third of it. */
  leaseMs?: number;
}

/**
 * One writer per object-store index, on any store whose dialect gives the four conditional
 * calls of `LockObjectStore`: a lock object created only if absent (of two writers exactly
 * one creates it), holding its owner and a lease that is renewed while the ingest runs by a
 * compare-and-swap on the version it last wrote (so a renewal never overwrites a takeover).
 * A writer finding the lock with its lease lapsed (a killed ingest) takes it over, again by
 * compare-and-swap on the version it read, so two such writers cannot both win. A writer
 * finding it held is refused with `index_busy`, naming the holder. A renewal whose swap
 * fails means another writer has the lock: `lost` fires.
 */
export async function acquireObjectLock(
  store: LockObjectStore,
  options: ObjectLockOptions = {},
): Promise<HeldLock> {
  const leaseMs = options.leaseMs ?? 30_000;
  const owner = `${hostname()}:${process.pid}:${randomUUID()}`;
  const acquiredAt = new Date().toISOString();
  const recordNow = (): string =>
    JSON.stringify({
      owner,
      host: hostname(),
      pid: process.pid,
      acquiredAt,
      expiresAt: new Date(Date.now() + leaseMs).toISOString(),
    } satisfies LockRecord);

  let version: LockObjectVersion | undefined;
  for (let attempt = 0; attempt < 3 && version === undefined; attempt++) {
    version = await store.create(recordNow());
    if (version !== undefined) break;
    const current = await store.read();
    if (current === undefined) continue; // released in between: try creating again
    const holder = LockRecord.safeParse(parseJsonOrUndefined(current.body));
    if (holder.success && Date.parse(holder.data.expiresAt) > Date.now()) {
      throw busy(store, holder.data);
    }
    // Lapsed (or unreadable): take it over, only if nobody rewrote it since we read it.
    version = await store.replace(recordNow(), current.version);
  }
  if (version === undefined) {
    throw new KbError(
      "index_busy",
      `Another ingest took the lock ${store.location} at the same moment. Run again.`,
    );
  }

  const lost = new AbortController();
  let held: LockObjectVersion = version;
  let leaseEnds = Date.now() + leaseMs;
  let renewing: Promise<void> | undefined;
  const renew = async () => {
    try {
      const renewed = await store.replace(recordNow(), held);
      if (renewed === undefined) {
        lost.abort(lostLease(store, "another writer took it over"));
        return;
      }
      held = renewed;
      leaseEnds = Date.now() + leaseMs;
      return;
    } catch {
      // A failed renewal is retried at the next tick, until the lease runs out.
    }
    if (Date.now() >= leaseEnds) lost.abort(lostLease(store, "it could not be renewed in time"));
  };
  const timer = setInterval(() => {
    if (!lost.signal.aborted && renewing === undefined)
      renewing = renew().finally(() => {
        renewing = undefined;
      });
  }, leaseMs / 3);
  timer.unref();

  return {
    lost: lost.signal,
    async release() {
      clearInterval(timer);
      await renewing;
      if (lost.signal.aborted) return;
      // Only our own version: never delete a lock another writer took over.
      await store.remove(held).catch(() => undefined);
    },
  };
}

function busy(store: LockObjectStore, holder: LockRecord): KbError {
  return new KbError(
    "index_busy",
    `Another ingest is writing to this index: ${holder.host} (pid ${holder.pid}) holds the lock ${store.location} since ${holder.acquiredAt}, its lease running until ${holder.expiresAt}. Wait for it to finish and run again; a lock left by a killed ingest is taken over once its lease ends.`,
  );
}

function lostLease(store: LockObjectStore, why: string): KbError {
  return new KbError(
    "index_busy",
    `This ingest lost its lock ${store.location}: ${why}. It stopped writing; run it again.`,
  );
}
