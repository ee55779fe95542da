/** Poll until `condition` holds; fails the test with `what` after the timeout. */
export async function waitFor(
  condition: () => boolean,
  what = "condition",
  timeoutMs = 5_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
