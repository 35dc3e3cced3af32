# Throughput (bars, left axis) and p99 latency (points, right axis) per configuration of a load case.
# Called by bench/run.sh with data=, out= and name= set.
set terminal pngcairo size 900,420 font ",10"
set output out
set style data histograms
set style fill solid 0.7 border -1
set boxwidth 0.8
set ylabel "requests/s (median)"
set y2label "p99 ms (median)"
set y2tics
set ytics nomirror
set yrange [0:*]
set y2range [0:*]
set xtics rotate by -20
set key outside top center horizontal
set title name
plot data using 2:xtic(1) title "requests/s", '' using 0:3 axes x1y2 with points pt 7 ps 1.5 title "p99 ms"
