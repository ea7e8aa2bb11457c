# A plot script for test_interrupt_make: it starts its image and then
# waits, so the test can interrupt harness-plot while gnuplot is drawing.
# harness-plot sets outfile (a temporary name) and datafile.
set print outfile
print "the first bytes of an image that will never be finished"
pause 60
