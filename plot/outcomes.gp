# outcomes.gp: what happened to the connections of each point, as clustered
# bars: with repeats, each bar is the median over the point's repeats and
# its error bar spans their min to max. connected + refused + timed out +
# pending + failed + would block = attempted (pending: still connecting
# when the run stopped; NaN in results made before it was counted; would
# block: family unix, a non-blocking connect() that found the listener's
# queue full and failed at once with EAGAIN, drawn only where a point has
# one); reset and accepted count connections that had connected. A red ring over a cluster, with the names of the fields, marks
# a point where a measurement departs from the kernel's prediction
# (point_summaries[].flags), whichever plot draws that measurement.
# Table: outcomes.dat (per point: label, then median min max of connected,
# refused, timed_out, pending, failed, reset, accepted, would_block; the
# number of flags; their fields).
if (!exists("datafile")) datafile = "outcomes.dat"
load "common.gp"

max2(a, b) = a > b ? a : b
# a column's value, 0 where it is NaN (a count the results do not have:
# pending, in results made before it was counted, and what a program's
# side does not say (results/README.md, unmeasured), are drawn as 0)
v(c) = valid(c) ? column(c) : 0
# the largest of the eight maxima of a row, and of the eight spreads
row_top = "max2(max2(max2(v(4), v(7)), max2(v(10), v(13))), max2(max2(v(16), v(19)), max2(v(22), v(25))))"
row_spread = "max2(max2(max2(v(4) - v(3), v(7) - v(6)), max2(v(10) - v(9), v(13) - v(12))), max2(max2(v(16) - v(15), v(19) - v(18)), max2(v(22) - v(21), v(25) - v(24))))"
stats datafile using (@row_top) nooutput
rows = STATS_records
largest = STATS_max
stats datafile using (@row_spread) nooutput
spread = STATS_max
stats datafile using ($26 > 0 ? 1 : 0) nooutput
flagged = STATS_sum
# the would-block bar only where some point has one (family unix)
stats datafile using (v(25) > 0 ? 1 : 0) nooutput
would_block = STATS_sum > 0
bars = would_block ? 8 : 7

set title (spread > 0 ? "Connection outcomes per point (median of the repeats, bar: min to max)\n" \
                      : "Connection outcomes per point\n").plottitle
set ylabel "connections"
set yrange [0:*]
tic_step = largest > 8 ? ceil(largest / 8.0) : 1
set ytics 0, tic_step
# Headroom above the tallest bar for the key and the flags.
set offsets 0, 0, largest * (flagged > 0 ? 0.55 : 0.35) + tic_step, 0
set style data histograms
# A wider gap between points once the bars get thin, so that points stay apart.
gap = rows > 8 ? 3 : 1
if (spread > 0) {
    if (gap == 3) { set style histogram errorbars gap 3 lw 1 } else { set style histogram errorbars gap 1 lw 1 }
} else {
    if (gap == 3) { set style histogram clustered gap 3 } else { set style histogram clustered gap 1 }
}
# With repeats, a dark outline: the error bars take the colour of the bars'
# border, and a bar's own colour would hide its bar.
if (spread > 0) { set style fill solid 0.9 border rgb "#333333" } else { set style fill solid 0.9 noborder }
set boxwidth 0.9
set key inside top center horizontal maxrows 2 width 1
set grid noxtics
# Point labels ("backlog=4, somaxconn=2"): level while they fit under
# their cluster; past that each sweep key on a line of its own; still too
# wide, slanted when short enough that the first one stays inside the
# picture, else upright. gnuplot then sizes the bottom margin to them, so
# no label is cut off (tests/browser/png_edges.py checks the picture's
# edges).
longest(s) = strstrt(s, ", ") > 0 ? max2(strstrt(s, ", ") - 1, longest(s[strstrt(s, ", ") + 2:])) : strlen(s)
split(s) = strstrt(s, ", ") > 0 ? s[1:strstrt(s, ", ") - 1]."\n".split(s[strstrt(s, ", ") + 2:]) : s
stats datafile using (strlen(stringcolumn(1))) nooutput
label_max = STATS_max
stats datafile using (longest(stringcolumn(1))) nooutput
line_max = STATS_max
count(s) = strstrt(s, ", ") > 0 ? 1 + count(s[strstrt(s, ", ") + 2:]) : 1
stats datafile using (count(stringcolumn(1))) nooutput
line_count = STATS_max
# about 90 characters across the plot at 900 pixels (and some space
# between labels), shared by the rows
room = 90.0 / rows
lines = label_max > room
label(s) = lines ? split(s) : s
label_width = lines ? line_max : label_max
if (label_width > room) {
    if (label_width <= 12) { set xtics rotate by 30 right } else { set xtics rotate by 90 right }
} else {
    # level labels of several lines: gnuplot leaves room for one
    if (lines) { set bmargin line_count + 2 }
}

# Bar k (0 to bars - 1) of row r is centred at r + (k - (bars - 1) / 2) / (bars + gap).
bar(r, k) = r + (k - (bars - 1) / 2.0) / (bars + gap)
count(v) = (rows <= 8 && v > 0) ? sprintf("%g", v) : ""
# The ring of a flagged point sits above its cluster's tallest bar, the
# names of its flagged fields above the ring (an empty text elsewhere:
# gnuplot 5.4 crashes on a labels plot of histograms with no point at all).
ring_y = largest * 0.12 + tic_step * 0.3
flag_note = flagged > 0 ? "ringed: departs from the prediction" : ""
would_block_title = "would block (AF_UNIX: EAGAIN at once)"
would_block_bars = would_block ? "\"\" using (v(23)):(v(24)):(v(25)) title would_block_title lc rgb c_would_block," : ""
would_block_bar = would_block ? "\"\" using (v(23)) title would_block_title lc rgb c_would_block," : ""

if (spread > 0) {
    plot datafile using (v(2)):(v(3)):(v(4)):xtic(label(stringcolumn(1))) title "connected" lc rgb c_connected, \
         "" using (v(5)):(v(6)):(v(7)) title "refused" lc rgb c_refused, \
         "" using (v(8)):(v(9)):(v(10)) title "timed out" lc rgb c_timed_out, \
         "" using (v(11)):(v(12)):(v(13)) title "pending at the stop" lc rgb c_pending, \
         "" using (v(14)):(v(15)):(v(16)) title "failed" lc rgb c_failed, \
         "" using (v(17)):(v(18)):(v(19)) title "reset (after connecting)" lc rgb c_reset, \
         "" using (v(20)):(v(21)):(v(22)) title "accepted by the server" lc rgb c_accepted, \
         @would_block_bars \
         for [k=0:bars - 1] "" using (bar($0, k)):(v(4 + 3 * k)):(count(v(2 + 3 * k))) \
             with labels offset 0, 0.7 notitle, \
         "" using 0:($26 > 0 ? @row_top + ring_y : NaN) \
             with points pt 6 ps 2.5 lw 2 lc rgb c_flag title flag_note, \
         "" using 0:(@row_top + ring_y):($26 > 0 ? stringcolumn(27) : "") \
             with labels offset 0, 1.6 tc rgb c_flag notitle
} else {
    plot datafile using (v(2)):xtic(label(stringcolumn(1))) title "connected" lc rgb c_connected, \
         "" using (v(5)) title "refused" lc rgb c_refused, \
         "" using (v(8)) title "timed out" lc rgb c_timed_out, \
         "" using (v(11)) title "pending at the stop" lc rgb c_pending, \
         "" using (v(14)) title "failed" lc rgb c_failed, \
         "" using (v(17)) title "reset (after connecting)" lc rgb c_reset, \
         "" using (v(20)) title "accepted by the server" lc rgb c_accepted, \
         @would_block_bar \
         for [k=0:bars - 1] "" using (bar($0, k)):(v(2 + 3 * k)):(count(v(2 + 3 * k))) \
             with labels offset 0, 0.7 notitle, \
         "" using 0:($26 > 0 ? @row_top + ring_y : NaN) \
             with points pt 6 ps 2.5 lw 2 lc rgb c_flag title flag_note, \
         "" using 0:(@row_top + ring_y):($26 > 0 ? stringcolumn(27) : "") \
             with labels offset 0, 1.6 tc rgb c_flag notitle
}
