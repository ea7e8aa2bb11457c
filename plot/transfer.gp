# transfer.gp: one run's bytes over time: what the client's send() calls
# handed to the kernel and what the server's recv() calls took out, with the
# intervals the sender was blocked (EAGAIN until writable again) shaded.
# Table: transfer.dat (series 0 client, 1 server, 2 blocked sends). A table
# from harness-compare holds one such triple per set, in the sets' order:
# the same colours, the first set's lines solid, the next dashed, dotted ...
if (!exists("datafile")) datafile = "transfer.dat"
load "common.gp"

eval count_series
sets = series / 3

set title "Bytes sent and read over time\n".plottitle
set xlabel "time since the run's start (seconds)"
set ylabel "bytes, in all so far (kB = 1000 bytes)"
# Decimal prefixes: the autoscaled tics are at round decimal values.
set format y "%.0s %cB"
set yrange [0:*]
set xrange [0:*]
set autoscale xfixmax
# Headroom above the largest count (and the shading) for the key.
set offsets 0, 0, graph 0.22, 0
set key top left horizontal
# A border marks where one blocked interval ends and the next begins.
set style fill transparent solid 0.18 border lc rgb "#f0b898"

plot for [s=0:sets-1] datafile index 3*s+2 using 1:2:3:4:5:6 with boxxyerror lc rgb c_blocked \
         title columnheader(1), \
     for [s=0:sets-1] datafile index 3*s using 1:2 with steps lt 1 lw 2 dt s+1 \
         title columnheader(1), \
     for [s=0:sets-1] datafile index 3*s+1 using 1:2 with steps lt 3 lw 2 dt s+1 \
         title columnheader(1)
