/*
 * rpi_ws281x's rpihw.c, compiled with its detection function renamed to
 * rpi_hw_detect_table, so board_revision.c can provide rpi_hw_detect (the
 * table first, then the revision code's processor field).
 */
#define rpi_hw_detect rpi_hw_detect_table
#include "rpihw.c"
