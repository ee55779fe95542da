import { describe, expect, it } from "vitest";
import { signS3Request } from "../../src/store/sign-s3-request.js";

describe("signS3Request", () => {
  it("signs AWS's published SigV4 example (GET with a Range) to the published signature", () => {
    const headers = signS3Request({
      method: "GET",
      url: new URL("https://examplebucket.s3.amazonaws.com/test.txt"),
      headers: { range: "bytes=0-9" },
      body: "",
      region: "us-east-1",
      credentials: {
        accessKeyId: "AKIAIOSFODNN7EXAMPLE",
        secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
      },
      date: new Date("2013-05-24T00:00:00Z"),
    });
    expect(headers.authorization).toBe(
      "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,SignedHeaders=host;range;x-amz-content-sha256;x-amz-date,Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41",
    );
    expect(headers["x-amz-date"]).toBe("20130524T000000Z");
  });

  it("signs a session token when there is one", () => {
    const headers = signS3Request({
      method: "PUT",
      url: new URL("http://127.0.0.1:9000/bucket/prefix/ingest.lock"),
      headers: { "if-none-match": "*" },
      body: "{}",
      region: "us-east-1",
      credentials: { accessKeyId: "id", secretAccessKey: "secret", sessionToken: "token" },
    });
    expect(headers["x-amz-security-token"]).toBe("token");
    expect(headers.authorization).toContain(
      "SignedHeaders=host;if-none-match;x-amz-content-sha256;x-amz-date;x-amz-security-token,",
    );
  });
});
