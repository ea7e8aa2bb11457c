/* connect_state.h: what the kernel says of a socket that was connecting.
 *
 * The client asks it wherever the harness would otherwise decide for
 * itself: when its own connect timeout (client.connect_timeout_ms) fires,
 * and when the run stops while connect() is still in progress. In the
 * same loop turn the handshake may have completed or the kernel may have
 * given up; only a socket still in SYN_SENT is waiting. SO_ERROR comes
 * first (the kernel's verdict: ECONNREFUSED, ETIMEDOUT after its SYN
 * retransmits, ...), then TCP_INFO's tcpi_state. */
#ifndef HARNESS_CONNECT_STATE_H
#define HARNESS_CONNECT_STATE_H

enum connect_state {
    CONNECT_WAITING,   /* SYN_SENT: the SYN (or a retransmit) is unanswered */
    CONNECT_COMPLETED, /* the handshake completed (established, or closed by the peer since) */
    CONNECT_FAILED     /* the kernel gave up or refused: *error says why */
};

/* The state of fd; *error is the socket's error for CONNECT_FAILED (an
 * errno, ECONNABORTED for a closed socket that reports none), else 0. */
enum connect_state connect_state_of(int fd, int *error);

#endif
