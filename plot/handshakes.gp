# handshakes.gp: how many handshakes complete while nobody accepts, against
# the backlog passed to listen(), with the kernel's prediction
# min(B, somaxconn)+1 (harness/predict.c computes it). With repeats, the
# point is the median and the bar spans min to max; a ring marks a point
# where a repeat departs from the prediction. Table: handshakes.dat.
if (!exists("datafile")) datafile = "handshakes.dat"
load "common.gp"

# Before any range is set, which stats would apply.
eval count_series
eval title_length
pairs = series / 2
set datafile commentschars '#"'
stats datafile using 1 nooutput
backlog_min = STATS_min
backlog_span = STATS_max - STATS_min > 0 ? STATS_max - STATS_min : 1
# column 8 exists only in the measured rows: how many points are flagged
stats datafile using 8 nooutput
flagged = STATS_sum
set datafile commentschars '#'


set title "Handshakes completed while the server never accepts\n".plottitle
set label 1 "predicted: min(B, somaxconn) + 1, never more than the clients;\na negative B counts as somaxconn" \
    at graph 0.02, graph 0.97 left front
set xlabel "backlog B passed to listen(fd, B)"
set ylabel "handshakes completed (connections)"
set yrange [0:*]
# Headroom at the top for the note.
set offsets 0.6, 0.6, graph 0.2, 0
# One pair of series: the key at the right, each series titled. Several
# (somaxconn or another key swept beside the backlog, or several sets):
# the measured series titled, the predictions under one grey entry, the
# key below the plot in two columns where they fit across the picture,
# and a bottom margin that holds the tic labels (two lines under a
# negative B), the axis label and the key's rows, so none is cut off.
key_columns = title_max <= 48 ? 2 : 1
key_rows = ceil((pairs + 1 + (flagged > 0 ? 1 : 0)) / (1.0 * key_columns))
if (pairs > 1) {
    set key at screen 0.5, screen 0.01 center bottom vertical maxrows key_rows
    set bmargin ceil(key_rows * 1.3) + 5 + (backlog_min < 0 ? 1 : 0)
} else {
    set key outside right top
}
# The kernel reads the backlog as unsigned: a negative one means somaxconn.
if (backlog_min < 0) {
    set xtics add (sprintf("%d\n(= somaxconn)", backlog_min) backlog_min)
}
# Series at the same backlogs (another key swept beside it: one series per
# value, "tcp_syncookies=1") are shifted a little sideways so that equal
# counts stay visible side by side.
dx(i) = pairs > 1 ? (i - (pairs - 1) / 2.0) * backlog_span * 0.02 : 0

plot for [i=0:pairs-1] datafile index 2*i+1 using ($1 + dx(i)):2 \
         with lines lt i+1 dt 2 lw 1.5 notitle, \
     for [i=0:pairs-1] datafile index 2*i+1 using ($1 + dx(i)):($3 == 1 ? $2 : NaN) \
         with points lt i+1 pt 6 ps 2.4 title (pairs > 1 ? "" : columnheader(1)), \
     for [i=0:pairs-1] datafile index 2*i using ($1 + dx(i)):2:3:4 \
         with yerrorbars lt i+1 pt 7 ps 1.4 title columnheader(1), \
     for [i=0:pairs-1] datafile index 2*i using ($1 + dx(i)):2:(sprintf("%g", $2)) \
         with labels offset 0, 1.2 tc lt i+1 notitle, \
     for [i=0:pairs-1] datafile index 2*i using ($1 + dx(i)):($8 > 0 ? $2 : NaN) \
         with points pt 6 ps 3.4 lw 2 lc rgb c_flag notitle, \
     NaN with linespoints lc rgb "#777777" dt 2 lw 1.5 pt 6 ps 2.4 \
         title (pairs > 1 ? "predicted, each series' own (ring, dashed)" : ""), \
     NaN with points pt 6 ps 2 lw 2 lc rgb c_flag \
         title (flagged > 0 ? (pairs > 1 ? "ringed in red: departs from the prediction" \
                                         : "ringed: departs from the prediction\n(results: point_summaries[].flags)") : "")
