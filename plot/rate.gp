# rate.gp: a reader paced at a set rate against what it achieved (bytes
# read over the run's time), with the share of the run the sender spent
# blocked on the right axis. With repeats, each point is the median and
# its bar spans min to max. When client.mode is swept, one colour per mode:
# a blocking sender (a thread in send()) and a non-blocking one (EAGAIN,
# then poll) should draw the same lines. Table: rate.dat (one series per
# mode).
if (!exists("datafile")) datafile = "rate.dat"
load "common.gp"

# Before any range or log scale is set, which stats would apply.
eval count_series
set datafile commentschars '#"'
stats datafile using 1 nooutput
rate_min = STATS_min
rate_max = STATS_max
set datafile commentschars '#'

set title "Throughput of a paced reader, and how long the sender waited\n".plottitle
set xlabel "reader's set rate, server.read.bytes_per_sec (bytes/s)"
set ylabel "achieved: bytes read / run time (bytes/s)"
set y2label "fraction of the run the sender was blocked"
set border 11 lc rgb "#404040"
set logscale x 2
set logscale y 2
set xrange [rate_min / 1.5 : rate_max * 1.5]
# Tics at powers of 2 (4 on a wide range) with binary prefixes.
step = rate_max / rate_min > 256 ? 4 : 2
set xtics (iec(1)."/s" 1)
set ytics (iec(1)."/s" 1)
do for [k=1:30] {
    if (step**k >= rate_min / 1.5 && step**k <= rate_max * 1.5) { set xtics add (iec(step**k)."/s" step**k) }
    if (k % 2 == 0) { set ytics add (iec(2**k)."/s" 2**k) }
}
set ytics nomirror
set y2tics 0.2 nomirror
set y2range [0:1.05]
set key bottom right
# Modes drawn on top of each other would hide one: the first a little larger
# (and of several sets from harness-compare, the first set's of each pair).
size(i) = 2.0 - 0.7 * (i % 2)

plot x with lines dt 2 lw 1.5 lc rgb c_prediction title "achieved = set rate", \
     for [i=0:series-1] datafile index i using 1:2:3:4 \
         with yerrorlines lt i+1 pt 7 ps size(i) title columnheader(1), \
     for [i=0:series-1] datafile index i using 1:5:6:7 axes x1y2 \
         with yerrorlines lt i+1 dt 2 pt 5 ps size(i) notitle, \
     NaN with linespoints lc rgb "#444444" pt 7 title "achieved throughput (left axis)", \
     NaN with linespoints lc rgb "#444444" dt 2 pt 5 title "sender blocked (right axis)"
