import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import { AwsClient } from "aws4fetch";
import { z } from "zod";
import { KbError } from "../errors.js";

export interface S3Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string | undefined;
}

/** Where the lock object of an s3:// index lives, and how to reach it. */
export interface S3LockTarget {
  /** The object's URL (path-style or virtual-hosted, as LanceDB addresses the bucket). */
  url: URL;
  region: string;
  credentials: S3Credentials;
}

export const lockObjectName = "ingest.lock";

/**
 * The lock object of an s3:// index from the LanceDB storage options the index was opened
 * with (`aws_*` keys, as config.ts writes them), or an `invalid_config` error saying what is
 * missing. Credentials must be given: the lock signs its own requests.
 */
export function s3LockTarget(uri: string, options: Readonly<Record<string, string>>): S3LockTarget {
  const parsed = new URL(uri);
  const bucket = parsed.hostname;
  const prefix = parsed.pathname.replace(/^\/+|\/+$/g, "");
  const key = prefix === "" ? lockObjectName : `${prefix}/${lockObjectName}`;
  const accessKeyId = options.aws_access_key_id;
  const secretAccessKey = options.aws_secret_access_key;
  const region = options.aws_region ?? "us-east-1";
  if (!accessKeyId || !secretAccessKey) {
    throw new KbError(
      "invalid_config",
      `Ingest into ${uri} takes a lock object (${key}) that kb-answers writes itself, so it needs KB_DB_ACCESS_KEY_ID and KB_DB_SECRET_ACCESS_KEY (instance or SSO credentials are not read).`,
    );
  }
  const endpoint = options.aws_endpoint ?? `https://s3.${region}.amazonaws.com`;
  if (endpoint.startsWith("http:") && options.allow_http !== "true") {
    throw new KbError(
      "invalid_config",
      `KB_DB_ENDPOINT is plain HTTP (${endpoint}): set KB_DB_ALLOW_HTTP=true to allow it.`,
    );
  }
  const virtualHosted = options.aws_virtual_hosted_style_request === "true";
  const base = virtualHosted
    ? options.aws_endpoint
      ? endpoint
      : `https://${bucket}.s3.${region}.amazonaws.com`
    : `${endpoint.replace(/\/+$/, "")}/${bucket}`;
  const encodedKey = key.split("/").map(encodeURIComponent).join("/");
  return {
    url: new URL(`${base.replace(/\/+$/, "")}/${encodedKey}`),
    region,
    credentials: { accessKeyId, secretAccessKey, sessionToken: options.aws_session_token },
  };
}

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
  /** Default globalThis.fetch. */
  fetch?: typeof fetch;
}

/**
 * One writer per object-store index: a lock object created with a conditional PUT
 * (`If-None-Match: *`, so of two writers exactly one creates it), holding its owner and a
 * lease that is renewed while the ingest runs (`If-Match` on the ETag it last wrote, so a
 * renewal never overwrites a takeover). A writer finding the lock with its lease lapsed (a
 * killed ingest) takes it over, again with `If-Match`, so two such writers cannot both win.
 * A writer finding it held is refused with `index_busy`, naming the holder.
 */
export async function acquireObjectLock(
  target: S3LockTarget,
  options: ObjectLockOptions = {},
): Promise<HeldLock> {
  const leaseMs = options.leaseMs ?? 30_000;
  const fetchImpl = options.fetch ?? fetch;
  const owner = `${hostname()}:${process.pid}:${randomUUID()}`;
  const acquiredAt = new Date().toISOString();
  const recordNow = (): LockRecord => ({
    owner,
    host: hostname(),
    pid: process.pid,
    acquiredAt,
    expiresAt: new Date(Date.now() + leaseMs).toISOString(),
  });

  // SigV4 by aws4fetch (no dependencies, WebCrypto): the lock's three calls need no SDK.
  const { accessKeyId, secretAccessKey, sessionToken } = target.credentials;
  const signer = new AwsClient({
    accessKeyId,
    secretAccessKey,
    ...(sessionToken ? { sessionToken } : {}),
    service: "s3",
    region: target.region,
  });
  const send = async (method: string, headers: Record<string, string>, body = "") => {
    const signed = await signer.sign(target.url.toString(), {
      method,
      headers: body === "" ? headers : { ...headers, "content-type": "application/json" },
      ...(body === "" ? {} : { body }),
    });
    return fetchImpl(signed, { signal: AbortSignal.timeout(10_000) });
  };
  const failure = async (what: string, response: Response) =>
    new Error(
      `${what} ${target.url.pathname} failed: HTTP ${response.status} ${(await response.text()).slice(0, 300)}`,
    );

  let etag: string | undefined;
  for (let attempt = 0; attempt < 3 && etag === undefined; attempt++) {
    const created = await send("PUT", { "if-none-match": "*" }, JSON.stringify(recordNow()));
    if (created.ok) {
      etag = created.headers.get("etag") ?? undefined;
      break;
    }
    if (created.status !== 412 && created.status !== 409) throw await failure("PUT", created);
    await created.body?.cancel();
    const current = await send("GET", {});
    if (current.status === 404) continue; // released in between: try creating again
    if (!current.ok) throw await failure("GET", current);
    const currentEtag = current.headers.get("etag") ?? "";
    const holder = LockRecord.safeParse(await current.json().catch(() => undefined));
    if (holder.success && Date.parse(holder.data.expiresAt) > Date.now()) {
      throw busy(target, holder.data);
    }
    // Lapsed (or unreadable): take it over, only if nobody rewrote it since we read it.
    const takeover = await send("PUT", { "if-match": currentEtag }, JSON.stringify(recordNow()));
    if (takeover.ok) {
      etag = takeover.headers.get("etag") ?? undefined;
      break;
    }
    if (takeover.status !== 412 && takeover.status !== 404) throw await failure("PUT", takeover);
    await takeover.body?.cancel();
  }
  if (etag === undefined) {
    throw new KbError(
      "index_busy",
      `Another ingest took the lock ${target.url.pathname} at the same moment. Run again.`,
    );
  }

  const lost = new AbortController();
  let leaseEnds = Date.now() + leaseMs;
  let renewing: Promise<void> | undefined;
  const renew = async () => {
    try {
      const response = await send(
        "PUT",
        { "if-match": etag as string },
        JSON.stringify(recordNow()),
      );
      if (response.ok) {
        etag = response.headers.get("etag") ?? etag;
        leaseEnds = Date.now() + leaseMs;
        return;
      }
      await response.body?.cancel();
      if (response.status === 412 || response.status === 404) {
        lost.abort(lostLease(target, "another writer took it over"));
        return;
      }
    } catch {
      // A failed renewal is retried at the next tick, until the lease runs out.
    }
    if (Date.now() >= leaseEnds) lost.abort(lostLease(target, "it could not be renewed in time"));
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
      const response = await send("DELETE", { "if-match": etag as string }).catch(() => undefined);
      await response?.body?.cancel();
    },
  };
}

function busy(target: S3LockTarget, holder: LockRecord): KbError {
  return new KbError(
    "index_busy",
    `Another ingest is writing to this index: ${holder.host} (pid ${holder.pid}) holds the lock ${target.url.pathname} since ${holder.acquiredAt}, its lease running until ${holder.expiresAt}. Wait for it to finish and run again; a lock left by a killed ingest is taken over once its lease ends.`,
  );
}

function lostLease(target: S3LockTarget, why: string): KbError {
  return new KbError(
    "index_busy",
    `This ingest lost its lock ${target.url.pathname}: ${why}. It stopped writing; run it again.`,
  );
}
