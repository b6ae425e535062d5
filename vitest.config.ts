import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["protocol/**/*.test.ts", "gpio-daemon/**/*.test.ts", "appliance/**/*.test.ts", "frontend/**/*.test.ts", "tests/integration/**/*.test.ts", "tests/load/**/*.test.ts"],
    exclude: ["**/node_modules/**", "dist/**", "tests/containers/**"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // expect.poll waits for a page or process to reach a state; its 1 s default is a timing assertion
    // in disguise on two busy cores. A real failure still fails, just later.
    expect: { poll: { timeout: 15_000 } },
    // Two cores: integration tests start real processes (bwrap, daemons, Chromium).
    maxWorkers: 2,
    // Bun lacks child.channel.unref, which vitest's forks pool needs; threads work.
    pool: "threads",
  },
});
