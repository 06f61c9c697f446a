/**
 * Personal data on request and by age: erasure of a customer from every table (and the mark that keeps their rows
 * out of later ingests), and the retention of raw transactions. What is personal data and where it lives:
 * {@code docs/personal-data.md}.
 */
package io.valuetier.privacy;
