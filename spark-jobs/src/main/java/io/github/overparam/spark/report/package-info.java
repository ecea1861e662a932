/**
 * The HTML report of a sweep folder ({@code <sweep>/report/index.html}): verdicts, critical width
 * against n, success rates, loss curves and the lazy-training quantities of Du et al. (2019),
 * drawn with XChart from the sweep's Parquet tables. Entry point: {@link
 * io.github.overparam.spark.report.ReportWriter#write}; the page's state is a {@code Report}, its
 * sections {@code CriticalSection} and {@code RunSections}, the HTML building blocks {@code Html}
 * and the figures' house style {@code Charts}.
 */
package io.github.overparam.spark.report;
