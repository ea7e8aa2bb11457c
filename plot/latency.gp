# latency.gp: how long each connect() took to reach its outcome, one series
# per run, the point shape saying which outcome. Sub-millisecond means the
# handshake completed at once; about 1 s, 2 s ... means the SYN was dropped
# and retransmitted. Dotted lines: the times the kernel's rules predict for
# the SYN retransmits (and dashed, for ETIMEDOUT) from the run's own
# tcp_syn_retries and tcp_syn_linear_timeouts; a ring marks a connection
# whose time matches none of them. Table: latency.dat (per run a series of
# connections, then per run the predicted retransmit and ETIMEDOUT series).
if (!exists("datafile")) datafile = "latency.dat"
load "common.gp"

# Before any range or log scale is set, which stats would apply.
eval count_series
runs = series / 3
set datafile commentschars '#"'
stats datafile using 1:($2 > 0 ? $2 : NaN) nooutput
set datafile commentschars '#'

set title "Time from connect() to its outcome, per connection\n".plottitle
set xlabel "connection (numbered in the order connect() was called)"
set ylabel "connect() to outcome (seconds, log scale)"
set logscale y
set format y "%.0s %cs"
set key outside right top
set autoscale xfix
set offsets 0.6, 0.6, 0, 0

set xtics STATS_max_x > 15 ? ceil(STATS_max_x / 15.0) : 1
# Always show at least 100 us to 1 s, so that an immediate answer and one
# after a SYN retransmit (about 1 s later) sit where they do in every plot.
low = STATS_min_y < 1e-4 ? STATS_min_y : 1e-4
high = STATS_max_y > 1 ? STATS_max_y : 1
set yrange [10**floor(log10(low)) : 10**ceil(log10(high))]
# Shift each run a little sideways so runs with equal times stay visible.
dx(i) = runs > 1 ? (i - (runs - 1) / 2.0) * 0.6 / runs : 0
# outcome_code: 0 connected, 1 refused, 2 timed_out, 3 failed, 4 other
shape(code) = code == 0 ? 7 : code == 1 ? 5 : code == 2 ? 9 : code == 3 ? 13 : 3

plot for [i=0:runs-1] datafile index runs+i using 1:2 \
         with lines dt 3 lw 1.5 lc rgb c_prediction title columnheader(1), \
     for [i=0:runs-1] datafile index 2*runs+i using 1:2 \
         with lines dt 2 lw 1.5 lc rgb c_prediction title columnheader(1), \
     for [i=0:runs-1] datafile index i using ($1 + dx(i)):2 \
         with lines lt i+1 lw 1.5 title columnheader(1), \
     for [i=0:runs-1] datafile index i using ($1 + dx(i)):2:(shape($3)) \
         with points lt i+1 pt variable ps 1.3 notitle, \
     for [i=0:runs-1] datafile index i using ($1 + dx(i)):($5 > 0 ? $2 : NaN) \
         with points pt 6 ps 3 lw 2 lc rgb c_flag notitle, \
     NaN with points pt 7 lc rgb "#444444" title "connected", \
     NaN with points pt 5 lc rgb "#444444" title "refused", \
     NaN with points pt 9 lc rgb "#444444" title "timed out", \
     NaN with points pt 13 lc rgb "#444444" title "failed"
