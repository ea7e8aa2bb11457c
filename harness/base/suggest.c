/* suggest.c: see suggest.h. */
#include "suggest.h"

#include <stddef.h>
#include <string.h>
#include <strings.h>

/* Optimal string alignment distance: a swap of two neighbours counts one
 * mistake ("backolg"), as do an insertion, a deletion and a change. */
static size_t edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 64 || lb > 64)
        return 99;
    size_t before[65], previous[65], row[65];
    for (size_t j = 0; j <= lb; j++)
        previous[j] = j;
    memcpy(before, previous, sizeof before);
    for (size_t i = 1; i <= la; i++) {
        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
            size_t best = previous[j - 1] + cost;
            if (previous[j] + 1 < best)
                best = previous[j] + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
                before[j - 2] + 1 < best)
                best = before[j - 2] + 1;
            row[j] = best;
        }
        memcpy(before, previous, sizeof before);
        memcpy(previous, row, sizeof previous);
    }
    return previous[lb];
}

const char *suggest_word(const char *word, const char *const known[])
{
    size_t length = strlen(word);
    if (length == 0)
        return NULL;
    for (size_t i = 0; known[i]; i++)
        if (strcasecmp(word, known[i]) == 0)
            return known[i];
    /* the unit left out or spelt another way: "duration", "duration_s" */
    const char *underscore = strrchr(word, '_');
    size_t stem = underscore ? (size_t)(underscore - word) : length;
    for (size_t i = 0; known[i]; i++) {
        size_t n = strlen(known[i]);
        if (n > 3 && strcmp(known[i] + n - 3, "_ms") == 0 && (n - 3 == length || n - 3 == stem) &&
            strncasecmp(word, known[i], n - 3) == 0)
            return known[i];
    }
    const char *best = NULL;
    size_t best_distance = 99;
    for (size_t i = 0; known[i]; i++) {
        size_t d = edit_distance(word, known[i]);
        if (d < best_distance) {
            best_distance = d;
            best = known[i];
        }
    }
    size_t limit = length / 3 > 2 ? length / 3 : 2;
    if (best && best_distance <= limit && best_distance < length)
        return best;
    /* a known key with a word added: "chunk_size" for "chunk" */
    for (size_t i = 0; known[i]; i++) {
        size_t n = strlen(known[i]);
        if (n >= 4 && length > n && word[n] == '_' && strncasecmp(word, known[i], n) == 0)
            return known[i];
    }
    /* the start of a longer key: "connect" for "connect_timeout_ms" */
    for (size_t i = 0; known[i] && length >= 4; i++)
        if (strncasecmp(word, known[i], length) == 0)
            return known[i];
    return NULL;
}
