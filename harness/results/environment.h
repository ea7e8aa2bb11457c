/* environment.h: the machine a results file (or a half) was made on.
 *
 * A results file's "environment" says what the numbers depend on: the
 * kernel release and build, the machine, the harness and library
 * versions, when it ran, whether each run had a network namespace of its
 * own, and the sysctls in force. A half adds what tells two halves apart:
 * the boot and the network namespace it ran in (half.h). */
#ifndef HARNESS_ENVIRONMENT_H
#define HARNESS_ENVIRONMENT_H

#include <jansson.h>

/* The results' "environment": this machine (kernel, hostname, cpus ...),
 * the harness and library versions, the time, whether each run had a
 * namespace of its own, and sysctls (taken over). */
json_t *results_environment(int private_netns, json_t *sysctls);

/* Adds to environment what names this machine's boot ("boot_id") and
 * this process's network namespace ("netns", and "private_netns" when it
 * can tell): two halves with both equal ran in one namespace of one
 * machine. */
void results_environment_identity(json_t *environment);

#endif
