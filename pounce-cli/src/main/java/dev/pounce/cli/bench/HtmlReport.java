package dev.pounce.cli.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code --report FILE.html}: one self-contained page with the figures and, per result, a latency percentile curve
 * drawn as inline SVG (HdrHistogram's plot: the x axis spreads the tail, 90%, 99%, 99.9%, ... at equal steps). It
 * loads nothing, so it opens offline and can be mailed as it is.
 */
public final class HtmlReport {

    private static final String[] COLOURS = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b",
            "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"};
    private static final int WIDTH = 900;
    private static final int HEIGHT = 420;
    private static final int LEFT = 70;
    private static final int BOTTOM = 40;
    /** The tail the x axis reaches: 99.999%. */
    private static final double NINES = 5;

    private HtmlReport() {
    }

    /**
     * @param report the results
     * @return the page
     */
    public static String html(BenchReport report) {
        var out = new StringBuilder("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<title>pounce bench</title><style>body{font-family:sans-serif;margin:2em}")
                .append("table{border-collapse:collapse}td,th{padding:2px 8px;text-align:right}")
                .append("th{border-bottom:1px solid #999}svg text{font-size:12px}</style></head><body>\n")
                .append("<h1>pounce bench</h1>\n<p>").append(escape(report.title())).append("</p>\n");
        out.append("<pre>").append(escape(report.text())).append("</pre>\n");
        out.append(svg(report.results()));
        out.append("<p>Latency by percentile: each curve is one workload over one protocol. Latencies count from "
                + "when a request was due, so with --rate they include the time it waited behind slow answers.</p>"
                + "\n</body></html>\n");
        return out.toString();
    }

    private static String svg(List<Result> results) {
        double top = 1;
        for (Result r : results) {
            top = Math.max(top, r.maxMicros());
        }
        var out = new StringBuilder(String.format(Locale.ROOT,
                "<svg width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\">%n", WIDTH, HEIGHT + 20 * results.size(),
                WIDTH, HEIGHT + 20 * results.size()));
        int plotWidth = WIDTH - LEFT - 20;
        int plotHeight = HEIGHT - BOTTOM - 20;
        // Axes and their labels.
        out.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"20\" x2=\"%d\" y2=\"%d\" stroke=\"#000\"/>%n",
                LEFT, LEFT, 20 + plotHeight));
        out.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#000\"/>%n",
                LEFT, 20 + plotHeight, LEFT + plotWidth, 20 + plotHeight));
        String[] xLabels = {"0%", "90%", "99%", "99.9%", "99.99%", "99.999%"};
        for (int i = 0; i <= NINES; i++) {
            double x = LEFT + plotWidth * i / NINES;
            out.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>%n",
                    x, 20 + plotHeight + 16, xLabels[i]));
        }
        for (int i = 0; i <= 4; i++) {
            double value = top * i / 4;
            double y = 20 + plotHeight - plotHeight * i / 4.0;
            out.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>%n",
                    LEFT - 6, y + 4, BenchReport.duration(value)));
        }
        for (int c = 0; c < results.size(); c++) {
            Result r = results.get(c);
            String colour = COLOURS[c % COLOURS.length];
            String label = r.server() + " " + r.workload().id() + " " + r.protocol().id();
            var path = new StringBuilder();
            for (double[] point : points(r)) {
                double x = LEFT + plotWidth * point[0] / NINES;
                double y = 20 + plotHeight - plotHeight * point[1] / top;
                path.append(path.isEmpty() ? "M" : " L").append(String.format(Locale.ROOT, "%.1f %.1f", x, y));
            }
            out.append(String.format(Locale.ROOT,
                    "<path class=\"curve\" data-label=\"%s\" d=\"%s\" fill=\"none\" stroke=\"%s\" "
                            + "stroke-width=\"2\"/>%n", escape(label), path, colour));
            int legendY = HEIGHT + 20 * c;
            out.append(String.format(Locale.ROOT,
                    "<rect x=\"%d\" y=\"%d\" width=\"14\" height=\"4\" fill=\"%s\"/>"
                            + "<text x=\"%d\" y=\"%d\">%s</text>%n", LEFT, legendY, colour, LEFT + 20, legendY + 6,
                    escape(label)));
        }
        return out.append("</svg>\n").toString();
    }

    /**
     * @param r a result
     * @return points of its curve: x in nines (0 at the median's left end, 2 at 99%), y the latency in microseconds;
     *         only as far into the tail as its count of requests reaches
     */
    static List<double[]> points(Result r) {
        List<double[]> points = new ArrayList<>();
        long count = r.outcome().latencies().count();
        if (count == 0) {
            return points;
        }
        double reach = Math.min(NINES, Math.log10(count));
        for (int step = 0; step <= reach * 20; step++) {
            double nines = step / 20.0;
            double percentile = 100 * (1 - Math.pow(10, -nines));
            points.add(new double[]{nines, r.latencyMicros(percentile)});
        }
        points.add(new double[]{reach, r.maxMicros()});
        return points;
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
