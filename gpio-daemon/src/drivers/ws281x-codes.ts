/**
 * rpi_ws281x's return codes (ws2811.h's WS2811_RETURN_STATES, plus the shim's
 * own below -100) turned into messages an operator can act on. Codes are stable
 * strings so logs and tests don't depend on the wording.
 */

export interface Ws281xFailure {
  code: string;
  message: string;
}

const rootHint = "needs root (CAP_SYS_RAWIO) for /dev/mem and /dev/vcio: run tree-gpio as root, or use --driver spi (no root, data on GPIO 10)";

const table: Record<number, Ws281xFailure> = {
  [-1]: { code: "GENERIC", message: "rpi_ws281x failed (generic failure)" },
  [-2]: { code: "OUT_OF_MEMORY", message: "out of memory (or the GPU refused DMA memory; check gpu_mem)" },
  [-3]: { code: "HW_NOT_SUPPORTED", message: "not a Raspberry Pi that rpi_ws281x supports (it reads the board revision from the device tree)" },
  [-4]: { code: "MEM_LOCK", message: "the GPU refused to lock DMA memory (mailbox mem_lock)" },
  [-5]: { code: "MMAP", message: `cannot map /dev/mem: ${rootHint}` },
  [-6]: { code: "MAP_REGISTERS", message: `cannot map the peripheral registers: ${rootHint}` },
  [-7]: { code: "GPIO_INIT", message: "cannot set up the GPIO pin" },
  [-8]: { code: "PWM_SETUP", message: "cannot set up PWM: blacklist the onboard audio (snd_bcm2835) or set dtparam=audio=off, which shares the PWM" },
  [-9]: { code: "MAILBOX_DEVICE", message: `cannot open the VideoCore mailbox /dev/vcio: ${rootHint}` },
  [-10]: { code: "DMA", message: "DMA error: another program may use the DMA channel; keep --dma-channel 10" },
  [-11]: { code: "ILLEGAL_GPIO", message: "this GPIO cannot drive the strip: use 18 or 12 (PWM0), 13 or 19 (PWM1), 21 (PCM)" },
  [-12]: { code: "PCM_SETUP", message: "cannot set up PCM (GPIO 21): disable I2S/audio overlays that use it" },
  [-13]: { code: "SPI_SETUP", message: "cannot set up SPI: use --driver spi for GPIO 10" },
  [-14]: { code: "SPI_TRANSFER", message: "SPI transfer error" },
  [-100]: { code: "BAD_ARGUMENT", message: "bad argument to the ws281x library (LED count, bytes per LED, DMA channel or frame length)" },
  [-101]: { code: "NOT_STARTED", message: "the ws281x library was not initialised" },
  [-102]: { code: "ALREADY_STARTED", message: "the ws281x library drives one strip per process and is already in use" },
};

/**
 * The failure for return code `rc`, with `errno` (when the C side saw one)
 * appended; `fallbackText` is the library's own string for unknown codes.
 */
export function ws281xFailure(rc: number, errno = 0, fallbackText = "unknown return code"): Ws281xFailure {
  const known = table[rc];
  const base = known ?? { code: `RC_${rc}`, message: `rpi_ws281x returned ${rc}: ${fallbackText}` };
  return errno === 0 ? base : { code: base.code, message: `${base.message} (errno ${errno})` };
}

/** Every code the table knows, for tests. */
export const knownWs281xCodes: readonly number[] = Object.keys(table).map(Number);
