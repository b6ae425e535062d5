/**
 * `bun frontend/build/cli.ts`: builds the frontend and prints every file as JSON on stdout (what the
 * embedding macro reads). Its own process because Bun.build cannot run inside a macro while the
 * bundler that called the macro waits for it.
 */
import { bundleFrontend } from "./bundle.ts";

try {
  process.stdout.write(JSON.stringify(await bundleFrontend()));
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}
