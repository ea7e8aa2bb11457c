/* by_hand.c: see by_hand.h. */
#include "by_hand.h"

#include <signal.h>

static void on_signal(uv_signal_t *handle, int signum)
{
    struct by_hand *by_hand = handle->data;
    (void)signum;
    by_hand->stop(by_hand->data);
}

static void on_duration(uv_timer_t *timer)
{
    struct by_hand *by_hand = timer->data;
    by_hand->stop(by_hand->data);
}

void by_hand_start(uv_loop_t *loop, struct by_hand *by_hand, int64_t duration_us,
                   by_hand_stop_cb stop, void *data)
{
    by_hand->stop = stop;
    by_hand->data = data;
    uv_signal_init(loop, &by_hand->sigint);
    uv_signal_init(loop, &by_hand->sigterm);
    uv_timer_init(loop, &by_hand->duration);
    by_hand->sigint.data = by_hand->sigterm.data = by_hand->duration.data = by_hand;
    uv_signal_start(&by_hand->sigint, on_signal, SIGINT);
    uv_signal_start(&by_hand->sigterm, on_signal, SIGTERM);
    uv_timer_start(&by_hand->duration, on_duration, (uint64_t)duration_us / 1000, 0);
    by_hand->open = 1;
}

void by_hand_close(struct by_hand *by_hand)
{
    if (!by_hand->open)
        return;
    by_hand->open = 0;
    uv_close((uv_handle_t *)&by_hand->sigint, NULL);
    uv_close((uv_handle_t *)&by_hand->sigterm, NULL);
    uv_close((uv_handle_t *)&by_hand->duration, NULL);
}
