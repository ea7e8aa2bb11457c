/* suggest.h: "did you mean ...?" for a mistyped key, option or word. */
#ifndef HARNESS_SUGGEST_H
#define HARNESS_SUGGEST_H

/* The word of known (NULL-terminated) closest to word: the same letters
 * in another case, the unit left out or spelt another way ("duration" for
 * "duration_ms"), a few typing mistakes away (a swap of two neighbours
 * counts one), a word added ("chunk_size" for "chunk") or the start of a
 * longer word ("connect" for "connect_timeout_ms"); NULL when none is
 * close. */
const char *suggest_word(const char *word, const char *const known[]);

#endif
