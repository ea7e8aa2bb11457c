# buffers.gp: how much a non-blocking sender gets into the kernel before its
# first send() fails with EAGAIN, and in all, against the socket buffer size
# set with setsockopt (the kernel doubles it). 0 in the table means no
# setsockopt (kernel default, autotuned): drawn at the right, apart, since
# it has no size on this axis. With repeats, each point is the median and
# its bar spans min to max. The thin line is the prediction's bound on the
# bytes in all while nobody reads, SO_SNDBUF + 1.5 x SO_RCVBUF (see
# harness/predict.h); a ring marks a point above it. Table: buffers.dat.
if (!exists("datafile")) datafile = "buffers.dat"
load "common.gp"

# Before any range or log scale is set, which stats would apply.
eval count_series
eval title_length
set datafile commentschars '#"'
stats datafile using ($1 > 0 ? $1 : NaN) nooutput
set_min = STATS_min
set_max = STATS_max
stats datafile using ($1 == 0 ? 1 : NaN) nooutput
has_default = STATS_records > 0
stats datafile using 11 nooutput
flagged = STATS_sum
stats datafile using 10 nooutput
has_capacity = STATS_records > 0
set datafile commentschars '#'

set title "Bytes a non-blocking sender gets in before blocking\n".plottitle
set xlabel "buffer size set with setsockopt (bytes; getsockopt then reports twice this)"
set ylabel "bytes (log scale)"
set logscale x 2
set logscale y 2
# Tics at factors of 4 on y; on x at powers of 2 over the sizes set.
set ytics (iec(1) 1)
do for [k=1:16] { set ytics add (iec(4**k) 4**k) }
# More series than one sweep has (several sets from harness-compare): the
# key below the plot, where it cannot cover them, in two columns where the
# titles fit across the picture, and a bottom margin that holds it.
key_columns = title_max <= 48 ? 2 : 1
key_rows = ceil((series + 4) / (1.0 * key_columns))
if (series > 5) {
    set key at screen 0.5, screen 0.01 center bottom vertical maxrows key_rows
    set bmargin ceil(key_rows * 1.3) + 4
} else {
    set key inside bottom right
}

xdefault = set_max * 8
set xtics (iec(set_min) set_min)
step = set_max / set_min > 16 ? 4 : 2
do for [k=0:30] {
    if (step**k > set_min && step**k <= set_max) { set xtics add (iec(step**k) step**k) }
}
if (has_default) {
    set xrange [set_min / 1.6 : xdefault * 1.6]
    set xtics add ("kernel default" xdefault)
    set arrow from sqrt(set_max * xdefault), graph 0 to sqrt(set_max * xdefault), graph 1 \
        nohead dt 3 lc rgb "#999999"
} else {
    set xrange [set_min / 1.6 : set_max * 1.6]
}
x(b) = b > 0 ? b : xdefault
plot for [i=0:series-1] datafile index i using ($1 > 0 ? $1 : NaN):10 \
         with lines lt i+1 lw 1 dt (2, 2, 8, 2) notitle, \
     for [i=0:series-1] datafile index i using ($1 > 0 ? $1 : NaN):5 \
         with lines lt i+1 notitle, \
     for [i=0:series-1] datafile index i using ($1 > 0 ? $1 : NaN):2 \
         with lines lt i+1 dt 2 notitle, \
     for [i=0:series-1] datafile index i using (x($1)):5:6:7 \
         with yerrorbars lt i+1 pt 7 title columnheader(1), \
     for [i=0:series-1] datafile index i using (x($1)):2:3:4 \
         with yerrorbars lt i+1 pt 6 notitle, \
     for [i=0:series-1] datafile index i using ($1 == 0 ? xdefault : NaN):10 \
         with points lt i+1 pt 1 ps 1.5 notitle, \
     for [i=0:series-1] datafile index i using (x($1)):($11 > 0 ? $5 : NaN) \
         with points pt 6 ps 3 lw 2 lc rgb c_flag notitle, \
     NaN with linespoints lc rgb "#444444" pt 7 title "bytes sent in all", \
     NaN with linespoints lc rgb "#444444" dt 2 pt 6 title "before the first blocked send", \
     NaN with linespoints lc rgb "#444444" lw 1 dt (2, 2, 8, 2) pt 1 \
         title (has_capacity ? "predicted most in all: SO_SNDBUF + 1.5 SO_RCVBUF" : ""), \
     NaN with points pt 6 ps 2 lw 2 lc rgb c_flag \
         title (flagged > 0 ? "ringed: above the prediction" : "")
