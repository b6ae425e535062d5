/*
 * tree_ws281x: a flat C ABI over the rpi_ws281x library, for Bun's FFI.
 *
 * Why a shim: ws2811_t is a struct of nested structs and pointers whose layout
 * would have to be restated in TypeScript; here the daemon sees five functions
 * taking and returning plain integers and one byte buffer.
 *
 * The daemon has already put the bytes in the strip's colour order and applied
 * brightness and the current limiter, so the library is configured as a plain
 * RGB (or RGBW) strip at full brightness: byte 0 of each LED goes out first.
 *
 * One strip, on channel 0 (PWM0 on GPIO 12/18, PCM on GPIO 21) or channel 1
 * (PWM1 on GPIO 13/19). Not thread-safe; the daemon calls it from one thread.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "ws2811.h"

/* Only the functions below are exported; the library itself stays internal. */
#define EXPORT __attribute__((visibility("default")))

/* Returned by the shim itself, outside ws2811.h's range (0 .. -14). */
#define TREE_WS281X_ERROR_BAD_ARGUMENT  -100
#define TREE_WS281X_ERROR_NOT_STARTED   -101
#define TREE_WS281X_ERROR_ALREADY_STARTED -102

static ws2811_t strip;
static int started;
static int channel_index;
static int bytes_per_led;
static int led_count;
static int saved_errno;

/* Version of this ABI; the TypeScript side refuses a library with another. */
EXPORT int tree_ws281x_abi_version(void)
{
    return 1;
}

/*
 * Nonzero when rpi_ws281x recognises this board (it reads the revision from
 * the device tree on arm64, /proc/cpuinfo elsewhere). Lets the daemon tell
 * "not a Raspberry Pi" apart from later failures without touching hardware.
 */
EXPORT int tree_ws281x_board_known(void)
{
    return rpi_hw_detect() != NULL;
}

/* errno as it was right after the last failing call (0 when none). */
EXPORT int tree_ws281x_last_errno(void)
{
    return saved_errno;
}

EXPORT int tree_ws281x_init(int gpio, int count, int channels_per_led, int dma, int brightness)
{
    if (started) return TREE_WS281X_ERROR_ALREADY_STARTED;
    if (count <= 0 || (channels_per_led != 3 && channels_per_led != 4) ||
        dma < 0 || dma > 14 || brightness < 0 || brightness > 255) {
        return TREE_WS281X_ERROR_BAD_ARGUMENT;
    }

    memset(&strip, 0, sizeof(strip));
    strip.freq = WS2811_TARGET_FREQ;
    strip.dmanum = dma;

    channel_index = (gpio == 13 || gpio == 19) ? 1 : 0;
    ws2811_channel_t *channel = &strip.channel[channel_index];
    channel->gpionum = gpio;
    channel->count = count;
    channel->invert = 0;
    channel->brightness = (uint8_t)brightness;
    /* RGB(W) with R in bits 16-23, G 8-15, B 0-7, W 24-31: render() below packs
       wire byte 0 into "R", so the library emits the bytes in the order given. */
    channel->strip_type = channels_per_led == 4 ? SK6812_STRIP_RGBW : WS2811_STRIP_RGB;

    errno = 0;
    ws2811_return_t rc = ws2811_init(&strip);
    saved_errno = errno;
    if (rc != WS2811_SUCCESS) {
        /* ws2811_init frees what it set up on most failure paths; the few bytes it
           may leak on the others are not worth undoing: the daemon exits. */
        memset(&strip, 0, sizeof(strip));
        return (int)rc;
    }
    started = 1;
    bytes_per_led = channels_per_led;
    led_count = count;
    return 0;
}

/*
 * Packs wire bytes into the library's 0xWWRRGGBB words so that, with the strip
 * types chosen in init, byte 0 of each LED is sent first, then 1, 2 (and 3).
 * Exported so a test off a Pi can check it; returns the number of LEDs packed.
 */
EXPORT int tree_ws281x_pack(const uint8_t *wire, int length, int channels_per_led, uint32_t *out)
{
    if (wire == NULL || out == NULL || (channels_per_led != 3 && channels_per_led != 4) ||
        length < 0 || length % channels_per_led != 0) {
        return TREE_WS281X_ERROR_BAD_ARGUMENT;
    }
    int count = length / channels_per_led;
    for (int i = 0; i < count; i++) {
        const uint8_t *p = wire + (size_t)i * (size_t)channels_per_led;
        uint32_t value = ((uint32_t)p[0] << 16) | ((uint32_t)p[1] << 8) | (uint32_t)p[2];
        if (channels_per_led == 4) value |= (uint32_t)p[3] << 24;
        out[i] = value;
    }
    return count;
}

EXPORT int tree_ws281x_render(const uint8_t *wire, int length)
{
    if (!started) return TREE_WS281X_ERROR_NOT_STARTED;
    if (wire == NULL || length != led_count * bytes_per_led) return TREE_WS281X_ERROR_BAD_ARGUMENT;

    tree_ws281x_pack(wire, length, bytes_per_led, strip.channel[channel_index].leds);
    errno = 0;
    ws2811_return_t rc = ws2811_render(&strip);
    saved_errno = errno;
    return (int)rc;
}

EXPORT void tree_ws281x_fini(void)
{
    if (!started) return;
    ws2811_fini(&strip);
    started = 0;
}

/* The library's own text for a return code, for codes the daemon does not know. */
EXPORT const char *tree_ws281x_return_text(int rc)
{
    if (rc > 0 || rc < WS2811_ERROR_SPI_TRANSFER) return "unknown return code";
    return ws2811_get_return_t_str((ws2811_return_t)rc);
}
