/*
 * Board detection for rpi_ws281x that also knows boards newer than its table.
 *
 * The bundled rpi_ws281x (1.1.0) finds the board by looking its revision code
 * up in a fixed table, and on arm64 compares the code exactly. Boards sold
 * later (Zero 2 W, Pi 4 B rev 1.5, newer CM4s, ...) are missing, so it would
 * call them unsupported. The build renames the library's function to
 * rpi_hw_detect_table (rpihw_table.c includes rpihw.c under a #define); this
 * file provides rpi_hw_detect: the table first, then the revision code's own
 * processor field (new-style codes, bit 23 set), which is all ws2811.c needs
 * (peripheral and VideoCore bases, and the PI1/PI2/PI4 family).
 * The Pi 5's BCM2712 (RP1 I/O chip) stays unsupported: use the spi driver.
 */
#include <byteswap.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rpihw.h"

#define EXPORT __attribute__((visibility("default")))

const rpi_hw_t *rpi_hw_detect_table(void);

#define NEW_STYLE_REVISION (1u << 23)

/*
 * Fills the family and bases for a new-style revision code; 0 when the code is
 * old-style (the table's business) or names a processor rpi_ws281x cannot drive.
 */
EXPORT int tree_ws281x_decode_revision(uint32_t revision, uint32_t *type, uint32_t *periph_base, uint32_t *videocore_base)
{
    if (!(revision & NEW_STYLE_REVISION)) return 0;
    switch ((revision >> 12) & 0xf) {
    case 0: /* BCM2835: Pi 1, Zero, Zero W */
        *type = RPI_HWVER_TYPE_PI1;
        *periph_base = 0x20000000;
        *videocore_base = 0x40000000;
        return 1;
    case 1: /* BCM2836: Pi 2 */
    case 2: /* BCM2837: Pi 3, Zero 2 W, CM3 */
        *type = RPI_HWVER_TYPE_PI2;
        *periph_base = 0x3f000000;
        *videocore_base = 0xc0000000;
        return 1;
    case 3: /* BCM2711: Pi 4, 400, CM4 */
        *type = RPI_HWVER_TYPE_PI4;
        *periph_base = 0xfe000000;
        *videocore_base = 0xc0000000;
        return 1;
    default: /* BCM2712 (Pi 5) and anything newer */
        return 0;
    }
}

/* The revision code from the device tree (arm64) or /proc/cpuinfo; 0 when there is none. */
static int read_revision(uint32_t *revision)
{
    FILE *f = fopen("/proc/device-tree/system/linux,revision", "rb");
    if (f) {
        uint32_t big_endian;
        size_t n = fread(&big_endian, 1, sizeof(big_endian), f);
        fclose(f);
        if (n == sizeof(big_endian)) {
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
            *revision = bswap_32(big_endian);
#else
            *revision = big_endian;
#endif
            return 1;
        }
    }
    f = fopen("/proc/cpuinfo", "r");
    if (!f) return 0;
    char line[128];
    int found = 0;
    while (!found && fgets(line, sizeof(line), f)) {
        if (strncmp(line, "Revision", 8) != 0) continue;
        char *colon = strchr(line, ':');
        if (colon == NULL) continue;
        char *end;
        unsigned long value = strtoul(colon + 1, &end, 16);
        if (end != colon + 1) {
            *revision = (uint32_t)value;
            found = 1;
        }
    }
    fclose(f);
    return found;
}

const rpi_hw_t *rpi_hw_detect(void)
{
    const rpi_hw_t *known = rpi_hw_detect_table();
    if (known != NULL) return known;

    static rpi_hw_t decoded;
    static char description[48];
    uint32_t revision;
    if (!read_revision(&revision)) return NULL;
    if (!tree_ws281x_decode_revision(revision, &decoded.type, &decoded.periph_base, &decoded.videocore_base)) return NULL;
    decoded.hwver = revision;
    snprintf(description, sizeof(description), "revision %06x (decoded)", (unsigned)revision);
    decoded.desc = description;
    return &decoded;
}
