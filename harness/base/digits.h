/* digits.h: integers as decimal text, without printf or a locale: what
 * the event lines (eventlog.h) and the results writer (results.h) format
 * every integer with, millions of times in a large run. */
#ifndef HARNESS_DIGITS_H
#define HARNESS_DIGITS_H

#include <stddef.h>
#include <stdint.h>

/* The decimal digits of value, last first, with a leading '-' last when
 * negative, into digits[24]; their count. */
size_t decimal_digits_reversed(int64_t value, char *digits);

#endif
