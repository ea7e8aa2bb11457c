/* by_hand.h: what ends a peer's run when it runs by hand.
 *
 * Under harness-run a peer ends when the runner says "stop" or goes away
 * (control.h). Run by hand, it ends at SIGINT or SIGTERM (the events so
 * far are kept) or once --duration-ms has passed, whichever comes first;
 * each calls the stop callback the main gives, which may come more than
 * once (the peers' stop functions ignore a second call).
 *
 * Lifecycle: by_hand_start -> stop callback(s) -> by_hand_close (from the
 * peer's done callback, so the loop can end). */
#ifndef HARNESS_BY_HAND_H
#define HARNESS_BY_HAND_H

#include <stdint.h>
#include <uv.h>

typedef void (*by_hand_stop_cb)(void *data);

struct by_hand {
    uv_signal_t sigint, sigterm;
    uv_timer_t duration;
    by_hand_stop_cb stop;
    void *data;
    int open;
};

/* Watches SIGINT and SIGTERM and starts the duration timer (duration_us,
 * counted in whole milliseconds). */
void by_hand_start(uv_loop_t *loop, struct by_hand *by_hand, int64_t duration_us,
                   by_hand_stop_cb stop, void *data);

/* Closes the handles; nothing when by_hand_start was not called. */
void by_hand_close(struct by_hand *by_hand);

#endif
