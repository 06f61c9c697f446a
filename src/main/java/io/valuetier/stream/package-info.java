/**
 * Scale-out on Apache Kafka: the single-node KRaft broker for trying it on one machine ({@link
 * io.valuetier.stream.KafkaBroker}), the topics ({@link io.valuetier.stream.KafkaTopics}), the control topic every
 * worker follows ({@link io.valuetier.stream.ControlTopic}) and the worker of a consumer group that cleans, stores,
 * scores, decides and produces the action of each event exactly once ({@link io.valuetier.stream.StreamWorker}). It
 * sits above the API: a worker decides one customer with the same code as {@code POST /api/v1/decisions}. Beside the
 * worker, the steps of the Kafka routes of {@code routes/} ({@link io.valuetier.stream.KafkaRoutes}): events in from
 * files ({@link io.valuetier.stream.EventLines}), actions and dead letters out into files
 * ({@link io.valuetier.stream.TopicFiles}).
 */
package io.valuetier.stream;
