/** Report: one self-contained HTML page with the run's results and charts (Apache ECharts, inlined). */
package io.valuetier.report;
