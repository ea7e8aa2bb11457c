/* client_arrival.c: when the client's connections start (client.arrival,
 * scenario/arrival.h): all at once, or each at its arrival time, counted
 * from the client's start, on a timer. An arrival makes a connection due; it starts at once unless
 * client.concurrency connections are open, and then when one closes. */
#include "client_internal.h"

/* Every arrival whose time has come made due; the timer set for the next. */
static void arrivals_catch_up(struct client *c)
{
    int64_t now = client_now_us(c) - c->arrivals_from_us;
    while (c->due < c->params.client.connections && c->next_arrival_us <= now) {
        c->due++;
        c->next_arrival_us = arrival_clock_next(&c->arrival_clock);
    }
    if (c->due < c->params.client.connections && !c->stopping) {
        uint64_t wait_ms = (uint64_t)(c->next_arrival_us - now + 999) / 1000;
        uv_timer_start(&c->arrival_timer, client_arrivals_tick, wait_ms, 0);
    }
}

void client_arrivals_tick(uv_timer_t *timer)
{
    struct client *c = timer->data;
    if (c->stopping)
        return;
    arrivals_catch_up(c);
    client_fill(c);
}

void client_arrivals_start(struct client *c)
{
    const struct arrival *a = &c->params.client.arrival;
    if (a->kind == ARRIVAL_ALL) {
        c->due = c->params.client.connections;
        return;
    }
    uv_timer_init(c->loop, &c->arrival_timer);
    c->arrival_timer.data = c;
    c->arrival_timer_open = 1;
    /* from the client's own start, not the run's: a client slow to start
     * (a sanitizer beside other work) would otherwise make every arrival
     * already due at once */
    c->arrivals_from_us = client_now_us(c);
    arrival_clock_start(&c->arrival_clock, a);
    c->next_arrival_us = arrival_clock_next(&c->arrival_clock);
    arrivals_catch_up(c);
}

void client_arrivals_close(struct client *c)
{
    if (c->arrival_timer_open)
        uv_close((uv_handle_t *)&c->arrival_timer, NULL);
    c->arrival_timer_open = 0;
}
