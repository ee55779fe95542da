import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    globalSetup: ["test/helpers/build-server.ts"],
    // Real LanceDB and real HTTP servers: give slow CI machines room.
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
