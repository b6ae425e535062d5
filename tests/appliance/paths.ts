/** Paths the emulator test shares. */
import { join } from "node:path";

export const repoRoot = join(import.meta.dir, "..", "..");
export const applianceTestDir = import.meta.dir;
