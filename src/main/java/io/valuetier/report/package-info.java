/**
 * Report: one self-contained HTML page with the run's results and charts (Apache ECharts, inlined), and the what-if
 * page (text or HTML) of a simulated rule-set change.
 */
package io.valuetier.report;
