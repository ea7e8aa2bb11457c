# queues.gp: why a sender blocks, for one connection. Top: the bytes its
# send() calls handed to the kernel and the bytes the server's recv() calls
# took out. Bottom: where the difference waits: in the server's receive
# queue (SIOCINQ: arrived, not read) until the receiver's window is full,
# then in the client's send queue (SIOCOUTQ: not acknowledged) until that
# reaches SO_SNDBUF; then send() blocks (shaded) until the reader frees
# room. Dashed: the buffers getsockopt reports. Table: queues.dat (series 0
# and 1 bytes, 2 and 3 queues, 4 buffers, 5 blocked sends). A table from
# harness-compare holds one such set of six per result set, in the sets'
# order: the same colours, the first set's lines solid, the next dashed,
# dotted ... (dt s+1); the buffers thin.
if (!exists("datafile")) datafile = "queues.dat"
load "common.gp"

# Before any range is set, which stats would apply: the largest over the sets.
eval count_series
sets = series / 6
max2(a, b) = a > b ? a : b
t_end = 0; sndbuf = 0; rcvbuf = 0; bytes_max = 0; queue_top = 0
set datafile commentschars '#"'
do for [s=0:sets-1] {
    stats datafile index 6*s using 1 nooutput
    t_end = max2(t_end, STATS_max)
    stats datafile index 6*s+4 using 2 nooutput
    sndbuf = max2(sndbuf, STATS_max)
    stats datafile index 6*s+4 using 3 nooutput
    rcvbuf = max2(rcvbuf, STATS_max)
    stats datafile index 6*s using 2 nooutput
    bytes_max = max2(bytes_max, STATS_max)
    stats datafile index 6*s+2 using 2 nooutput
    queue_top = max2(queue_top, STATS_max)
    stats datafile index 6*s+3 using 2 nooutput
    queue_top = max2(queue_top, STATS_max)
}
set datafile commentschars '#'
bytes_top = bytes_max > 0 ? bytes_max * 1.4 : 1
buffer_top = max2(sndbuf, rcvbuf)
top = max2(queue_top, buffer_top) * 1.3
# set s: the first (or a results file's only one) solid, the next dashed,
# dotted ...; a results file's buffers dashed, thin
line(s) = s + 1
buffer_line(s) = sets > 1 ? s + 1 : 2

set multiplot layout 2, 1 title "Why the sender blocks\n".plottitle font ",12"
set xrange [0:t_end]
set style fill transparent solid 0.18 border lc rgb "#f0b898"
set key top left horizontal
# Decimal prefixes: the autoscaled tics are at round decimal values.
set format y "%.0s %cB"
set lmargin 12

set ylabel "bytes, in all so far"
set format x ""
set yrange [0:bytes_top]
plot for [s=0:sets-1] datafile index 6*s+5 using (($1 + $2) / 2):(0):1:2:(0):(1e15) \
         with boxxyerror lc rgb c_blocked title columnheader(1), \
     for [s=0:sets-1] datafile index 6*s using 1:2 with steps lt 1 lw 2 dt line(s) \
         title columnheader(1), \
     for [s=0:sets-1] datafile index 6*s+1 using 1:2 with steps lt 3 lw 2 dt line(s) \
         title columnheader(1)

set ylabel "bytes waiting"
set format x "%g"
set xlabel "time since the run's start (seconds)"
set yrange [0:top]
plot for [s=0:sets-1] datafile index 6*s+5 using (($1 + $2) / 2):(0):1:2:(0):(1e15) \
         with boxxyerror lc rgb c_blocked notitle, \
     for [s=0:sets-1] datafile index 6*s+2 using 1:2 with steps lt 2 lw 2 dt line(s) \
         title columnheader(1), \
     for [s=0:sets-1] datafile index 6*s+3 using 1:2 with steps lt 4 lw 2 dt line(s) \
         title columnheader(1), \
     for [s=0:sets-1] datafile index 6*s+4 using 1:2 with lines lt 2 lw 1 dt buffer_line(s) \
         title (s == 0 ? "SO_SNDBUF (client)" : ""), \
     for [s=0:sets-1] datafile index 6*s+4 using 1:3 with lines lt 4 lw 1 dt buffer_line(s) \
         title (s == 0 ? "SO_RCVBUF (server)" : "")
unset multiplot
