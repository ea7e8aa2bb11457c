# common.gp: the look every plot shares; each <kind>.gp loads it first.
#
# harness-plot runs `gnuplot -e "datafile='..'; plottitle='..'; format='png';
# outfile='..'" plot/<kind>.gp -e "reset; format='svg'; outfile='..'"
# plot/<kind>.gp`: the same plot as a PNG, then as an SVG. By hand, the same
# works from the plot directory or with GNUPLOT_LIB pointing at it (that is
# how `load 'common.gp'` finds this file).

if (!exists("format")) format = "png"
if (!exists("outfile")) outfile = "plot.".format
if (!exists("plottitle")) plottitle = ""

# The same size and font in both formats. pngcairo draws antialiased lines
# and transparent fills; gnuplot-nox may lack it, and the plain libgd png
# terminal is still readable. The svg terminal is built into gnuplot (no
# "mouse": that would put JavaScript in the file).
if (format eq "svg") {
    set terminal svg size 900,560 font "DejaVu Sans,10" noenhanced background rgb "white"
} else {
    if (strstrt(GPVAL_TERMINALS, "pngcairo") > 0) {
        set terminal pngcairo size 900,560 font "DejaVu Sans,10" noenhanced
    } else {
        set terminal png size 900,560 noenhanced
    }
}
# noenhanced above: labels such as server.read.bytes_per_sec must keep
# their underscores instead of turning them into subscripts.
set output outfile
set encoding utf8

set title font ",12"
set border 3 lc rgb "#404040"
set tics nomirror out scale 0.6
set grid xtics ytics lc rgb "#dddddd" lw 1 dt solid
set key top left opaque box lc rgb "#bbbbbb" samplen 3 spacing 1.1

# Colour-blind-safe palette (Okabe-Ito, then Tableau); series i uses lt i.
set linetype 1 lc rgb "#0072B2" lw 2 pt 7 ps 1.2
set linetype 2 lc rgb "#D55E00" lw 2 pt 5 ps 1.2
set linetype 3 lc rgb "#009E73" lw 2 pt 9 ps 1.2
set linetype 4 lc rgb "#CC79A7" lw 2 pt 13 ps 1.2
set linetype 5 lc rgb "#E69F00" lw 2 pt 7 ps 1.2
set linetype 6 lc rgb "#56B4E9" lw 2 pt 5 ps 1.2
set linetype 7 lc rgb "#000000" lw 2 pt 9 ps 1.2
set linetype 8 lc rgb "#8C564B" lw 2 pt 13 ps 1.2
set linetype 9 lc rgb "#9467BD" lw 2 pt 7 ps 1.2
set linetype 10 lc rgb "#7F7F7F" lw 2 pt 5 ps 1.2
set linetype 11 lc rgb "#BCBD22" lw 2 pt 9 ps 1.2
set linetype 12 lc rgb "#17BECF" lw 2 pt 13 ps 1.2
set linetype cycle 12

# One colour per connection outcome, the same in every plot.
c_connected = "#009E73"
c_refused = "#D55E00"
c_timed_out = "#E69F00"
c_failed = "#CC79A7"
c_pending = "#56B4E9"
c_would_block = "#999999"
c_reset = "#8C564B"
c_accepted = "#0072B2"
c_prediction = "#555555"
c_blocked = "#D55E00"
# A measurement that departs from the kernel's prediction (a ring).
c_flag = "#CC0000"

# Tables start a series with a quoted title line (used by `title
# columnheader(1)`); `stats` would call that line bad data, so count the
# series with those lines read as comments.
count_series = "set datafile commentschars '#\"'; stats datafile using 1 nooutput; series = STATS_blocks; set datafile commentschars '#'"

# The longest series title of a table (its quoted lines; numbers are
# shorter), in characters: how wide a column of the key gets. About 48
# fit twice across the 900 pixels of a picture.
title_length = "stats datafile using (strlen(strcol(1))) nooutput; title_max = STATS_max"

# Byte counts with binary prefixes, for tics on log2 axes. gnuplot's own
# "%b %B" format prints 1048576 as "1023 ki" on such an axis.
iec(b) = b >= 2**30 ? sprintf("%g GiB", b / 2.0**30) : \
         b >= 2**20 ? sprintf("%g MiB", b / 2.0**20) : \
         b >= 2**10 ? sprintf("%g KiB", b / 2.0**10) : sprintf("%g B", b)
