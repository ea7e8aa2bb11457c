# outcomes.gp: what happened to the connections of each run, as clustered
# bars. connected + refused + timed out + failed = attempted; reset and
# accepted count connections that had connected. Table: outcomes.dat.
if (!exists("datafile")) datafile = "outcomes.dat"
load "common.gp"

max2(a, b) = a > b ? a : b
stats datafile using (max2(max2(max2($2, $3), max2($4, $5)), max2($6, $7))) nooutput
rows = STATS_records
largest = STATS_max

set title "Connection outcomes per run\n".plottitle
set ylabel "connections"
set yrange [0:*]
tic_step = largest > 8 ? ceil(largest / 8.0) : 1
set ytics 0, tic_step
# Headroom above the tallest bar for the key.
set offsets 0, 0, largest * 0.35 + tic_step, 0
set style data histograms
# A wider gap between runs once the bars get thin, so that runs stay apart.
gap = rows > 8 ? 3 : 1
if (gap == 3) { set style histogram clustered gap 3 } else { set style histogram clustered gap 1 }
set style fill solid 0.9 noborder
set boxwidth 0.9
set key inside top center horizontal maxrows 2 width 1
set grid noxtics
# Point labels: level while they fit, then slanted, then upright.
if (rows > 12) {
    set xtics rotate by 90 right
} else {
    if (rows > 4) { set xtics rotate by 30 right }
}

# Bar k (0-5) of row r is centred at r + (k - 2.5) / (6 + gap).
bar(r, k) = r + (k - 2.5) / (6.0 + gap)
count(v) = (rows <= 8 && v > 0) ? sprintf("%d", v) : ""

plot datafile using 2:xtic(1) title "connected" lc rgb c_connected, \
     "" using 3 title "refused" lc rgb c_refused, \
     "" using 4 title "timed out" lc rgb c_timed_out, \
     "" using 5 title "failed" lc rgb c_failed, \
     "" using 6 title "reset (after connecting)" lc rgb c_reset, \
     "" using 7 title "accepted by the server" lc rgb c_accepted, \
     for [k=0:5] "" using (bar($0, k)):(column(k+2)):(count(column(k+2))) \
         with labels offset 0, 0.7 notitle
