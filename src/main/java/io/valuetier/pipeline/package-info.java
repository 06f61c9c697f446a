/** The main job: the whole loop (ingest, train, evaluate, predict, decide, publish, report) in one process. */
package io.valuetier.pipeline;
