# connect_cdf.gp: how long connections took to connect, as a cumulative
# distribution, one line per run (at most 12): the share of the attempted
# connections that had connected by each time, log scale. Those that
# found room in the accept queue connect in microseconds; those whose SYN
# was dropped, at a SYN retransmit (1 s, 2 s ...): a step there. For
# clients arriving at a constant rate, a dashed line at the share the
# queue is predicted to hold at their first SYN (predict.h), up to 1 s:
# where the curve should sit before its retransmit step.
# Table: connect_cdf.dat (per run: its label, then connect_s fraction
# predicted_at_once).
if (!exists("datafile")) datafile = "connect_cdf.dat"
load "common.gp"

eval count_series
set title "Time to connect, cumulative, per run\n".plottitle
set xlabel "connect() to connected (seconds, log scale)"
set ylabel "share of the attempted connections connected"
set logscale x 10
set xrange [1e-5:10]
set yrange [0:1.05]
set format x "%g"
set xtics ("10 us" 1e-5, "100 us" 1e-4, "1 ms" 1e-3, "10 ms" 0.01, "100 ms" 0.1, "1 s" 1, "10 s" 10)
set key outside right top
set grid xtics ytics

plot for [i=0:series-1] datafile index i using 1:2 with steps lt i+1 lw 2 title columnheader(1), \
     for [i=0:series-1] datafile index i every ::0::0 using (1e-5):3:(1.0 - 1e-5):(0) with vectors nohead lt i+1 dt 2 notitle, \
     NaN with lines dt 2 lc rgb c_prediction title "predicted share at the first SYN"
