# reads.gp: how many recv() calls returned data at each point (bars; with
# repeats the median, its bar spanning min to max), beside the two counts
# the kernel's rules give: one read per send() call, what a reader that
# keeps up with sends spaced in time gets (a recv() returns what has
# arrived as soon as anything has), and the fewest, bytes read / the size
# each recv() asks for, what a reader gets when everything is queued
# before its first recv() (which returns all that is queued, up to the
# size asked). Each bar is labelled with the largest read.
# Table: reads.dat (per point: label, reads median min max, per_send,
# fewest, largest).
if (!exists("datafile")) datafile = "reads.dat"
load "common.gp"

max2(a, b) = a > b ? a : b
stats datafile using (max2(max2($4, $5), $6)) nooutput
largest = STATS_max
rows = STATS_records

set title "recv() calls that returned data, per point\n".plottitle
set ylabel "recv() calls"
set yrange [0:largest * 1.3 + 1]
set xrange [-0.6:rows - 0.4]
set boxwidth 0.6
set style fill solid 0.85 noborder
set grid noxtics
set key inside top center horizontal maxrows 2 width 1
set xtics nomirror
set ytics nomirror

plot datafile using 0:2:xtic(1) with boxes lc rgb "#1f77b4" title "measured (median)", \
     datafile using 0:2:3:4 with yerrorbars lc rgb "#333333" pt -1 notitle, \
     datafile using 0:5 with points pt 2 ps 2.2 lw 2 lc rgb c_prediction title "one recv() per send()", \
     datafile using 0:6 with points pt 6 ps 2.2 lw 2 lc rgb "#2ca02c" title "fewest: bytes / size asked", \
     datafile using 0:2:(sprintf("largest %d B", $7)) with labels offset 0, 1.2 notitle
