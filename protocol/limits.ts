/**
 * Wire limits of the frame protocol. Both binaries and every test import these;
 * nothing restates them. Units are in the names.
 */

/** Highest value of R, G and B. */
export const channelMax = 255;
/** Highest value of L, the per-LED brightness level in percent. */
export const levelMax = 100;
/** Largest strip the protocol carries (rpi_ws281x drives about 2700 per channel). */
export const maxLedCount = 2048;
/**
 * Longest accepted line, newline excluded. A compact 2048-LED frame of full
 * values is 18 bytes per LED (36 KiB); the cap leaves room for spaces.
 */
export const maxLineBytes = 64 * 1024;
