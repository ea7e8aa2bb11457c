/* digits.c: see digits.h. */
#include "digits.h"

size_t decimal_digits_reversed(int64_t value, char *digits)
{
    size_t n = 0;
    /* through uint64_t, so INT64_MIN negates without overflow */
    uint64_t magnitude = value < 0 ? 0 - (uint64_t)value : (uint64_t)value;
    do {
        digits[n++] = (char)('0' + magnitude % 10);
        magnitude /= 10;
    } while (magnitude);
    if (value < 0)
        digits[n++] = '-';
    return n;
}
