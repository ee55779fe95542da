import type { S3TestServer } from "./s3-server.js";

/** The settings a writer or server needs to use an index on the S3 test server. */
export function objectStoreEnv(s3: S3TestServer, uri: string): Record<string, string> {
  return {
    KB_DB: uri,
    KB_DB_ENDPOINT: s3.endpoint,
    KB_DB_REGION: "us-east-1",
    KB_DB_ACCESS_KEY_ID: "test-key-id",
    KB_DB_SECRET_ACCESS_KEY: "test-secret-access-key",
    KB_DB_ALLOW_HTTP: "true",
  };
}

/** The same as LanceDB storage options, for tests that open the index in-process. */
export function objectStoreOptions(s3: S3TestServer): Record<string, string> {
  return {
    aws_endpoint: s3.endpoint,
    aws_region: "us-east-1",
    aws_access_key_id: "test-key-id",
    aws_secret_access_key: "test-secret-access-key",
    allow_http: "true",
  };
}
