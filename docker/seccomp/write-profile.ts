/** Writes docker/seccomp/app.json from app-profile.ts: `bun docker/seccomp/write-profile.ts`. */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { profileJson } from "./app-profile.ts";

export const profilePath = join(import.meta.dir, "app.json");

if (import.meta.main) {
  writeFileSync(profilePath, profileJson());
  console.log(`wrote ${profilePath}`);
}
