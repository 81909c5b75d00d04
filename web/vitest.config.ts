import { defineConfig } from "vitest/config";

// Unit tests of the console's logic (src/**/*.test.ts[x]); the browser
// tests against a real pushd are in e2e/.
export default defineConfig({
  test: { include: ["src/**/*.test.{ts,tsx}"], environment: "node" },
});
