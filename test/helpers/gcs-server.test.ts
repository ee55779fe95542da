import { generateKeyPairSync, sign } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type GcsTestServer, startGcsTestServer } from "./gcs-server.js";

/** The Cloud Storage semantics the test server claims, over real HTTP, as Google documents them. */
describe("the GCS test server", () => {
  let gcs: GcsTestServer;
  let token: string;
  const key = () => JSON.parse(gcs.serviceAccountKey()) as Record<string, string>;
  const assertion = (privateKey: string, claims: Record<string, unknown> = {}) => {
    const now = Math.floor(Date.now() / 1000);
    const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");
    const input = `${encode({ alg: "RS256", typ: "JWT" })}.${encode({
      iss: key().client_email,
      scope: "https://www.googleapis.com/auth/devstorage.read_write",
      aud: key().token_uri,
      iat: now,
      exp: now + 3600,
      ...claims,
    })}`;
    return `${input}.${sign("sha256", Buffer.from(input), privateKey).toString("base64url")}`;
  };
  const grant = (jwt: string) =>
    fetch(key().token_uri ?? "", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        grant_type: "urn:ietf:params:oauth:grant-type:jwt-bearer",
        assertion: jwt,
      }),
    });
  const upload = (name: string, body: string, generation?: string) =>
    fetch(
      `${gcs.endpoint}/upload/storage/v1/b/bucket/o?uploadType=media&name=${encodeURIComponent(name)}${generation === undefined ? "" : `&ifGenerationMatch=${generation}`}`,
      { method: "POST", body, headers: { authorization: `Bearer ${token}` } },
    );
  const objectUrl = (name: string) =>
    `${gcs.endpoint}/storage/v1/b/bucket/o/${encodeURIComponent(name)}`;

  beforeAll(async () => {
    gcs = await startGcsTestServer();
    const granted = await grant(assertion(key().private_key ?? ""));
    token = ((await granted.json()) as { access_token: string }).access_token;
  });
  afterAll(() => gcs.close());

  it("issues a token only for a JWT signed by the service account's key, for its audience, not expired", async () => {
    expect((await grant(assertion(key().private_key ?? ""))).status).toBe(200);
    const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const other = privateKey.export({ type: "pkcs8", format: "pem" }).toString();
    const refused = await grant(assertion(other));
    expect(refused.status).toBe(400);
    expect(await refused.json()).toMatchObject({ error: "invalid_grant" });
    expect(
      (await grant(assertion(key().private_key ?? "", { aud: "https://elsewhere" }))).status,
    ).toBe(400);
    expect((await grant(assertion(key().private_key ?? "", { exp: 1 }))).status).toBe(400);
  });

  it("answers 401 to a request without a token it issued", async () => {
    expect((await fetch(`${objectUrl("x")}?alt=media`)).status).toBe(401);
    const forged = await fetch(`${objectUrl("x")}?alt=media`, {
      headers: { authorization: "Bearer ya29.made-up" },
    });
    expect(forged.status).toBe(401);
  });

  it("creates with ifGenerationMatch=0 only when no live object exists, else 412", async () => {
    const created = await upload("lock", "first", "0");
    expect(created.status).toBe(200);
    const { generation } = (await created.json()) as { generation: string };
    expect(generation).toMatch(/^\d+$/);
    expect((await upload("lock", "second", "0")).status).toBe(412);
    const read = await fetch(`${objectUrl("lock")}?alt=media`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(await read.text()).toBe("first");
    expect(read.headers.get("x-goog-generation")).toBe(generation);
  });

  it("replaces and deletes under ifGenerationMatch only while the generation is unchanged", async () => {
    const first = (await (await upload("leased", "v1")).json()) as { generation: string };
    const second = await upload("leased", "v2", first.generation);
    expect(second.status).toBe(200);
    const { generation } = (await second.json()) as { generation: string };
    expect(generation).not.toBe(first.generation);
    expect((await upload("leased", "v3", first.generation)).status).toBe(412);
    expect((await upload("never-written", "x", first.generation)).status).toBe(412);
    const remove = (version: string) =>
      fetch(`${objectUrl("leased")}?ifGenerationMatch=${version}`, {
        method: "DELETE",
        headers: { authorization: `Bearer ${token}` },
      });
    expect((await remove(first.generation)).status).toBe(412);
    expect(gcs.getObject("bucket", "leased")).toBe("v2");
    expect((await remove(generation)).status).toBe(204);
    expect((await remove(generation)).status).toBe(404);
  });
});
