/* run_progress.h: harness-run's progress lines on stderr, one per run as
 * it ends ("NAME: point 2/9 LABEL: attempted 12 connected 5 ...", a count
 * the run does not have as "-"), one per skipped point, and what building
 * the results cost. */
#ifndef HARNESS_RUN_PROGRESS_H
#define HARNESS_RUN_PROGRESS_H

#include "runner.h"

/* Sets progress's callbacks to print those lines. */
void run_progress_lines(struct runner_progress *progress);

#endif
