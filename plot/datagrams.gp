# datagrams.gp: what a sender's send() calls handed the kernel, what the
# receiver kept and what was lost, per point (bars; with repeats the
# median, its bar spanning min to max), beside the kernel's predictions:
# the datagrams a UDP receiver that never reads keeps, floor(SO_RCVBUF /
# truesize), as a dashed level over the "kept" bar (joined across the
# points, so a sweep of server.rcvbuf draws the prediction's line), and
# for a TCP point the most its sender gets in while nobody reads, SO_SNDBUF
# + 1.5 x SO_RCVBUF, over the "sent" bar. What the client was asked to
# send is a dotted level over the "sent" bar: a TCP sender stops there
# only if its reader keeps up, a UDP sender always does. Counts in
# datagrams; in bytes when a point is TCP (a sweep over protocol), so both
# share one scale. Log scale: a 0 is written as a label on the axis.
# Table: datagrams.dat (per point: label, sent, kept and lost each median
# min max, offered, predicted_kept, predicted_sent, in_bytes).
if (!exists("datafile")) datafile = "datagrams.dat"
load "common.gp"

# column n, or d where the table says NaN (which would drop the row)
col(n, d) = valid(n) ? column(n) : d
big(a, b) = a > b ? a : b
small(a, b) = a > 0 && a < b ? a : b
stats datafile using 14 nooutput
in_bytes = STATS_max > 0
rows = STATS_records
stats datafile using (big(col(4, 1), big(col(7, 1), big(col(10, 1), \
    big(col(11, 1), big(col(12, 1), col(13, 1))))))) nooutput
top = STATS_max
stats datafile using (small(col(3, 0), small(col(6, 0), small(col(9, 0), \
    small(col(12, 0), small(col(13, 0), 1e18)))))) nooutput
bottom = STATS_min < 1e18 ? STATS_min : 1
ylow = in_bytes ? bottom / 8.0 : 0.5
unit = in_bytes ? "bytes" : "datagrams"

set title (in_bytes ? "Bytes sent, kept and lost, per point\n" : \
           "Datagrams sent, kept and lost, per point\n").plottitle
set ylabel unit." (log scale)"
set logscale y 10
set yrange [ylow : top * 30]
set xrange [-0.6 : rows - 0.4]
set boxwidth 0.24
set style fill solid 0.85 noborder
set grid noxtics
set xtics nomirror
# the key in the decade and more left free above the tallest bar
set key inside top center
if (in_bytes) { set format y "%.0s%c" }

w = 0.26
zero(n, x) = valid(n) && column(n) <= 0 ? x : NaN
plot datafile using ($0 - w):($2 > 0 ? $2 : NaN):xtic(1) with boxes lc rgb "#0072B2" \
         title (in_bytes ? "sent (taken by send())" : "sent"), \
     datafile using ($0 - w):($3 < $4 ? $2 : NaN):3:4 with yerrorbars lc rgb "#333333" pt -1 notitle, \
     datafile using 0:($5 > 0 ? $5 : NaN) with boxes lc rgb "#009E73" \
         title "kept (read, or queued at the end)", \
     datafile using 0:($6 < $7 ? $5 : NaN):6:7 with yerrorbars lc rgb "#333333" pt -1 notitle, \
     datafile using ($0 + w):($8 > 0 ? $8 : NaN) with boxes lc rgb "#D55E00" \
         title "lost (dropped at a full buffer)", \
     datafile using ($0 + w):($9 < $10 ? $8 : NaN):9:10 with yerrorbars lc rgb "#333333" pt -1 notitle, \
     datafile using (zero(2, $0 - w)):(ylow * 1.5):("0") with labels notitle, \
     datafile using (zero(5, $0)):(ylow * 1.5):("0") with labels notitle, \
     datafile using (zero(8, $0 + w)):(ylow * 1.5):("0") with labels notitle, \
     datafile using ($0 - w - 0.14):11:(0.28):(0) with vectors nohead dt 3 lw 2 \
         lc rgb "#000000" \
         title (in_bytes ? "offered (client.send.bytes)" : "offered (client.send.bytes / chunk)"), \
     datafile using 0:12 with lines dt 2 lw 1.5 lc rgb c_prediction notitle, \
     datafile using ($0 - 0.15):12:(0.3):(0) with vectors nohead lw 3 lc rgb c_prediction \
         title "predicted kept, never read: SO_RCVBUF / truesize", \
     datafile using ($0 - w - 0.15):13:(0.3):(0) with vectors nohead dt 2 lw 3 \
         lc rgb "#CC79A7" title (in_bytes ? "predicted most TCP takes: SNDBUF + 1.5 x RCVBUF" : "")
