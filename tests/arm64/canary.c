/*
 * Proves the emulator would catch a bad build: an ARMv8.1 atomic (LSE `ldadd`)
 * that a Cortex-A76 (Pi 5) has and a Cortex-A53/A72 (Pi 3/4) lack, the kind of
 * instruction a careless compiler flag puts into a runtime.
 */
#include <stdio.h>

int main(void)
{
    long value = 1, add = 2, old;
    __asm__ volatile("ldadd %2, %0, [%1]" : "=r"(old) : "r"(&value), "r"(add) : "memory");
    printf("%ld\n", value);
    return value == 3 ? 0 : 1;
}
