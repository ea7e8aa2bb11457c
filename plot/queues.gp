# queues.gp: why a sender blocks, for one connection. Top: the bytes its
# send() calls handed to the kernel and the bytes the server's recv() calls
# took out. Bottom: where the difference waits: in the server's receive
# queue (SIOCINQ: arrived, not read) until the receiver's window is full,
# then in the client's send queue (SIOCOUTQ: not acknowledged) until that
# reaches SO_SNDBUF; then send() blocks (shaded) until the reader frees
# room. Dashed: the buffers getsockopt reports. Table: queues.dat (series 0
# and 1 bytes, 2 and 3 queues, 4 buffers, 5 blocked sends).
if (!exists("datafile")) datafile = "queues.dat"
load "common.gp"

# Before any range is set, which stats would apply.
set datafile commentschars '#"'
stats datafile index 0 using 1 nooutput
t_end = STATS_max
stats datafile index 4 using 2 nooutput
sndbuf = STATS_max
stats datafile index 4 using 3 nooutput
rcvbuf = STATS_max
stats datafile index 0 using 2 nooutput
bytes_top = STATS_max > 0 ? STATS_max * 1.4 : 1
stats datafile index 2 using 2 nooutput
queue_top = STATS_max
stats datafile index 3 using 2 nooutput
queue_top = STATS_max > queue_top ? STATS_max : queue_top
set datafile commentschars '#'
buffer_top = sndbuf > rcvbuf ? sndbuf : rcvbuf
top = (queue_top > buffer_top ? queue_top : buffer_top) * 1.3

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
plot datafile index 5 using (($1 + $2) / 2):(0):1:2:(0):(1e15) with boxxyerror \
         lc rgb c_blocked title columnheader(1), \
     datafile index 0 using 1:2 with steps lt 1 lw 2 title columnheader(1), \
     datafile index 1 using 1:2 with steps lt 3 lw 2 title columnheader(1)

set ylabel "bytes waiting"
set format x "%g"
set xlabel "time since the run's start (seconds)"
set yrange [0:top]
plot datafile index 5 using (($1 + $2) / 2):(0):1:2:(0):(1e15) with boxxyerror \
         lc rgb c_blocked notitle, \
     datafile index 2 using 1:2 with steps lt 2 lw 2 title columnheader(1), \
     datafile index 3 using 1:2 with steps lt 4 lw 2 title columnheader(1), \
     datafile index 4 using 1:2 with lines lt 2 lw 1 dt 2 title "SO_SNDBUF (client)", \
     datafile index 4 using 1:3 with lines lt 4 lw 1 dt 2 title "SO_RCVBUF (server)"
unset multiplot
