import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import type { ActionWebhookBody } from "../../../src/contract/action-webhook-body.js";
import type { LogFields, Logger } from "../../../src/logger.js";
import { createActionWebhook } from "../../../src/workflows/actions/create-action-webhook.js";

const action: ActionWebhookBody = {
  id: "5b0f6c2e-0000-4000-8000-000000000001",
  action: "propose_assignment",
  team: "data-team",
  priority: "P2",
  reason: "orders-db is theirs",
  requestId: "req-1",
  question: "orders-db is slow",
  ticketId: null,
  proposedAt: "2026-11-30T14:00:00.000Z",
};

describe("createActionWebhook", () => {
  const closers: (() => Promise<void>)[] = [];
  afterEach(async () => {
    await Promise.all(closers.splice(0).map((close) => close()));
  });

  /** A receiver answering each attempt with the next status (the last one repeats). */
  const receiver = async (...statuses: number[]) => {
    let attempts = 0;
    const server = createServer((request, response) => {
      request.resume();
      const status = statuses[Math.min(attempts, statuses.length - 1)] ?? 200;
      attempts++;
      response.writeHead(status).end();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    closers.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const { port } = server.address() as AddressInfo;
    return { url: `http://127.0.0.1:${port}/hook`, attempts: () => attempts };
  };
  const logs: { message: string; fields: LogFields | undefined }[] = [];
  const record = (message: string, fields?: LogFields) => logs.push({ message, fields });
  const logger: Logger = { debug: record, info: record, warn: record, error: record };
  const webhook = (url: string, maxAttempts = 3) =>
    createActionWebhook({ url, secret: "0123456789abcdef", maxAttempts, baseDelayMs: 1, logger });

  it("retries 5xx and 429 until the receiver accepts", async () => {
    const target = await receiver(503, 429, 202);
    expect(await webhook(target.url)(action)).toEqual({
      delivered: true,
      attempts: 3,
      status: 202,
    });
  });

  it("gives up after the attempts allowed, and logs the failure with the action's id", async () => {
    const target = await receiver(500);
    expect(await webhook(target.url, 2)(action)).toEqual({
      delivered: false,
      attempts: 2,
      status: 500,
    });
    expect(target.attempts()).toBe(2);
    expect(logs.at(-1)).toEqual({
      message: "action delivery failed",
      fields: { actionId: action.id, requestId: "req-1", attempts: 2, status: 500 },
    });
  });

  it("never retries a refusal such as 400 or 401: the receiver will not change its mind", async () => {
    const target = await receiver(401, 200);
    expect(await webhook(target.url)(action)).toMatchObject({ delivered: false, attempts: 1 });
    expect(target.attempts()).toBe(1);
  });

  it("retries when nothing listens, and reports no status", async () => {
    const target = await receiver(200);
    await Promise.all(closers.splice(0).map((close) => close()));
    expect(await webhook(target.url, 2)(action)).toEqual({
      delivered: false,
      attempts: 2,
      status: null,
    });
  });

  it("settles: waits for deliveries in progress, then names the actions still undelivered", async () => {
    const refusing = await receiver(503);
    const slow = createActionWebhook({
      url: refusing.url,
      secret: "0123456789abcdef",
      maxAttempts: 5,
      baseDelayMs: 10_000,
      logger,
    });
    void slow(action);
    expect(await slow.settle(100)).toEqual([action.id]);

    const accepting = await receiver(200);
    const quick = webhook(accepting.url);
    const delivered = quick(action);
    expect(await quick.settle(5_000)).toEqual([]);
    expect(await delivered).toMatchObject({ delivered: true });
    expect(await quick.settle(0)).toEqual([]);
  });
});
