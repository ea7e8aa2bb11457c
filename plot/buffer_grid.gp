# buffer_grid.gp: a sender into a reader that never reads, for every pair
# of SO_SNDBUF (columns) and SO_RCVBUF (rows) as set with setsockopt (the
# kernel grants twice the value; "default": no setsockopt, autotuned).
# Left: the bytes send() took before it first blocked; right: in all, once
# both sides were full. Colour on a log scale; each cell also says it in
# KiB; a red border marks a cell above the prediction SO_SNDBUF + 1.5 x
# SO_RCVBUF, and "+" one whose sender was still taking data when the run
# ended (a longer duration_ms would give more). Table: buffer_grid.dat
# (cells, then the tic labels).
if (!exists("datafile")) datafile = "buffer_grid.dat"
load "common.gp"

set datafile commentschars '#"'
stats datafile index 0 using 5 nooutput
low = STATS_min
stats datafile index 0 using 6 nooutput
high = STATS_max
stats datafile index 0 using 1 nooutput
nx = STATS_max + 1
stats datafile index 0 using 2 nooutput
ny = STATS_max + 1
stats datafile index 0 using ($8 == 0 ? 1 : 0) nooutput
unsettled = STATS_sum
set datafile commentschars '#'

kib(b) = b != b ? "" : b >= 1048576 ? sprintf("%.1f M", b / 1048576.0) : sprintf("%.0f K", b / 1024.0)
set logscale cb 2
set cbrange [low : high]
set palette cubehelix start 0.5 cycles -1.2 saturation 1.2 negative
set cbtics ("4 KiB" 4096, "16 KiB" 16384, "64 KiB" 65536, "256 KiB" 262144, "1 MiB" 1048576, \
            "4 MiB" 4194304)
# Labels in white on the dark (large) cells.
shade(b) = (log(b) - log(low)) / (log(high) - log(low))
ink(b) = b == b && shade(b) > 0.55 ? 0xffffff : 0x000000
set xrange [-0.5 : nx - 0.5]
set yrange [-0.5 : ny - 0.5]
set xlabel "client SO_SNDBUF set"
set tics scale 0
set grid noxtics noytics
set size ratio -1
unset key
set style fill solid 1.0 noborder

set multiplot layout 1, 2 title "Bytes a sender gets in while nobody reads\n".plottitle font ",12" \
    margins 0.12, 0.86, 0.14, 0.84 spacing 0.1
do for [panel=0:1] {
    column_bytes = panel == 0 ? 5 : 6
    set title (panel == 0 ? "before its first blocked send()" : "in all")
    if (panel == 0) { set ylabel "server SO_RCVBUF set" } else { unset ylabel }
    if (panel == 1 && unsettled > 0) {
        set label 1 "+ still rising: the sender was taking data when the run ended" \
            at screen 0.5, screen 0.025 center
    }
    if (panel == 0) { unset colorbox } else { set colorbox user origin 0.89, 0.14 size 0.025, 0.54 }
    plot datafile index 0 using 1:2:(0.5):(0.5):(column(column_bytes)) with boxxyerror fc palette, \
         datafile index 0 using 1:($7 > 0 && panel == 1 ? $2 : NaN):(0.46):(0.46) \
             with boxxyerror fs empty border lc rgb c_flag lw 3, \
         datafile index 0 using 1:2:(kib(column(column_bytes)).(panel == 1 && $8 == 0 ? "+" : "")):(ink(column(column_bytes))) \
             with labels tc rgb variable, \
         datafile index 1 using 1:(NaN):xtic(2) notitle, \
         datafile index 2 using (NaN):1:ytic(2) notitle
}
unset multiplot
