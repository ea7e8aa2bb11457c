# accept_queue.gp: one run's accept queue over time: how many connections
# wait in it (sampled on the listener with TCP_INFO), the most it can hold
# (limit + 1, where limit = min(backlog, somaxconn)), how many handshakes
# the clients completed and how many connections the server accepted; the
# dotted lines are the times the kernel's rules predict for the SYN
# retransmits of the clients that did not fit; and the request sockets in
# SYN_RECV (the SYN queue) that harness-run read through sock_diag, for
# harness-server and a server program alike. Table: accept_queue.dat
# (series 0 queue, 1 handshakes, 2 accepted, 3 predicted retransmits, 4
# SYN_RECV, empty in results files of runs without it). A
# table from harness-compare holds one such set of five per result set, in
# the sets' order: the same colours, the first set's lines solid, the next
# dashed, dotted ... (dt s+1).
if (!exists("datafile")) datafile = "accept_queue.dat"
load "common.gp"

eval count_series
eval title_length
sets = series / 5

set title "The accept queue over time\n".plottitle
set xlabel "time since the run's start (seconds)"
set ylabel "connections"
set yrange [0:*]
set xrange [0:*]
set autoscale xfixmax
# One results file: the key inside, with headroom above the lines for it.
# Several sets (harness-compare): their titles are longer and more; the
# key below the plot, in two columns where they fit across the picture.
key_columns = title_max <= 48 ? 2 : 1
key_rows = ceil((5 * sets + 1) / (1.0 * key_columns))
if (sets > 1) {
    set key at screen 0.5, screen 0.01 center bottom vertical maxrows key_rows
    set bmargin ceil(key_rows * 1.3) + 4
} else {
    set offsets 0, 0, graph 0.25, 0
    set key top left horizontal maxcols 3 width 1
}
set style fill transparent solid 0.25 noborder

# Lines that coincide (a full queue holds every handshake) stay visible:
# the queue wide and light underneath, the capacity dashed on top.
# set s: the first (or a results file's only one) solid, the next dashed,
# dotted ...; a results file's capacity dashed
line(s) = s + 1
capacity_line(s) = sets > 1 ? s + 1 : 2
plot for [s=0:sets-1] datafile index 5*s using 1:2 with fillsteps lc rgb c_accepted notitle, \
     for [s=0:sets-1] datafile index 5*s using 1:2 with steps lc rgb c_accepted lw 5 dt line(s) \
         title columnheader(1), \
     for [s=0:sets-1] datafile index 5*s+1 using 1:2 with steps lc rgb c_connected lw 2 \
         dt line(s) title columnheader(1), \
     for [s=0:sets-1] datafile index 5*s+2 using 1:2 with steps lc rgb "#000000" lw 1.5 \
         dt line(s) title columnheader(1), \
     for [s=0:sets-1] datafile index 5*s+3 using 1:2 with lines lc rgb c_prediction dt 3 lw 1.5 \
         title columnheader(1), \
     for [s=0:sets-1] datafile index 5*s using 1:4 with steps lc rgb c_refused lw 2 \
         dt capacity_line(s) title (s == 0 ? "capacity: min(backlog, somaxconn) + 1" : ""), \
     for [s=0:sets-1] datafile index 5*s+4 using 1:2 with steps lc rgb c_timed_out lw 2 \
         dt line(s) title columnheader(1)
