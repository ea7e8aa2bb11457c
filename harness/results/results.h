/* results.h: the one results model of a scenario, written once,
 * atomically.
 *
 * A results file is {"format", "scenario_file", "scenario" (as given),
 * "environment", "plots", "runs": [...]}; each run has "params",
 * "effective", "summary" (with "kernel" counter deltas), and the per-event
 * arrays "connections", "blocks", "samples", "server_events". The fields are
 * documented in results/README.md.
 *
 * The way there, one header per step:
 *   runlog.h       a peer's event log read (through eventlines.h, the one
 *                  reader of an event log) into connection records
 *                  (connrecord.h) and the other events;
 *   runbuild.h     a run built from the two peers' logs;
 *   resultsfile.h  runs spooled as they come, the file spliced together
 *                  and written atomically, byte for byte as
 *                  json_dumpf(JSON_SORT_KEYS | JSON_INDENT(2)) would;
 *   environment.h  the machine, the versions, the sysctls;
 *   derived.h      the point summaries and the sampling limits.
 * This header includes them all. */
#ifndef HARNESS_RESULTS_H
#define HARNESS_RESULTS_H

#include "derived.h"
#include "environment.h"
#include "eventlines.h"
#include "resultsfile.h"
#include "runbuild.h"
#include "runlog.h"

#define RESULTS_FORMAT "backlog-lab results 1"

#endif
