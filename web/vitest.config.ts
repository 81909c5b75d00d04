import { defineConfig } from "vitest/config";

// Unit tests of the console's logic (src/**/*.test.ts[x]) and of its
// checks (scripts/); the browser
// tests against a real pushd are in e2e/.
export default defineConfig({
  test: { include: ["src/**/*.test.{ts,tsx}", "scripts/**/*.test.mjs"], environment: "node" },
});
